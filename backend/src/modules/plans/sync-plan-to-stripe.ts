import { BillingError, type BillingCredentials, type BillingInterval, type BillingPort } from '../../ports/billing.js';
import { agencyBillingCredentials } from '../billing-account/agency-billing-credentials.js';
import type { PlanDeps } from './plan-deps.js';
import { findPlan, setStripeProductId, type PlanRow } from './plan-repository.js';
import { listPlanVersions, recordVersionSync, type PlanVersionRow } from './plan-version-repository.js';

type Scope = { agencyId: string; planId: string };

/**
 * Mirrors a plan to the agency's Stripe account: one product per plan, one recurring price per version
 * and interval, replaced prices archived; an archived plan archives its prices and product. Runs after
 * the plan is saved and outside its transaction: a Stripe outage leaves the plan usable with status
 * 'failed' and the error, and running this again (Retry sync) repairs it. Creations carry idempotency
 * keys from our ids, so a retry after a lost answer finds what Stripe already made.
 */
export async function syncPlanToStripe(deps: Omit<PlanDeps, 'events'>, scope: Scope): Promise<void> {
  const state = await deps.runInScope({ agencyId: scope.agencyId }, async (tx) => {
    const plan = await findPlan(tx, scope);
    if (!plan) return undefined;
    return { plan, versions: await listPlanVersions(tx, [plan.id]), credentials: await agencyBillingCredentials(tx, deps, scope.agencyId) };
  });
  if (!state) return;
  const { plan, versions, credentials } = state;
  if (!credentials) {
    await record(deps, scope, versions.filter((v) => v.stripeSyncStatus !== 'synced'), () => ({ status: 'not_connected', error: null }));
    return;
  }
  const mirror = new PlanMirror(deps.billing.port, credentials, plan);
  let productId: string;
  try {
    productId = await mirror.product();
    if (!plan.stripeProductId) await deps.runInScope({ agencyId: scope.agencyId }, (tx) => setStripeProductId(tx, plan.id, productId));
  } catch (err) {
    await record(deps, scope, versions, () => ({ status: 'failed', error: describe(err) }));
    return;
  }
  for (const version of versions) {
    try {
      const outcome = await mirror.version(productId, version);
      await record(deps, scope, [version], () => ({ status: 'synced', error: null, ...outcome }));
    } catch (err) {
      await record(deps, scope, [version], () => ({ status: 'failed', error: describe(err) }));
    }
  }
  // Archived last: the product stays buyable until every price of it is archived.
  if (plan.archivedAt) {
    try {
      await mirror.archiveProduct(productId);
    } catch (err) {
      await record(deps, scope, versions, () => ({ status: 'failed', error: describe(err) }));
    }
  }
}

/** The Stripe calls for one plan. */
class PlanMirror {
  constructor(private readonly port: BillingPort, private readonly credentials: BillingCredentials, private readonly plan: PlanRow) {}

  /** The plan's product: made once (idempotent), else brought up to date with our name and description. */
  async product(): Promise<string> {
    const { plan } = this;
    if (!plan.stripeProductId) {
      const made = await this.port.createProduct(this.credentials, {
        name: plan.name, description: plan.description, metadata: { switchboard_plan_id: plan.id, switchboard_agency_id: plan.agencyId },
        idempotencyKey: `plan:${plan.id}:product`,
      });
      return made.productId;
    }
    if (!plan.archivedAt) await this.port.updateProduct(this.credentials, plan.stripeProductId, { name: plan.name, description: plan.description, active: true });
    return plan.stripeProductId;
  }

  async version(productId: string, version: PlanVersionRow) {
    const archived: string[] = [];
    for (const priceId of version.stripeStalePriceIds) {
      await this.port.archivePrice(this.credentials, priceId);
      archived.push(priceId);
    }
    if (this.plan.archivedAt) {
      for (const priceId of [version.stripeMonthlyPriceId, version.stripeYearlyPriceId]) if (priceId) await this.port.archivePrice(this.credentials, priceId);
      return { archivedStaleIds: archived };
    }
    const monthlyPriceId = version.stripeMonthlyPriceId ?? (await this.price(productId, version, 'month', version.monthlyPriceMinor));
    const yearlyPriceId = version.yearlyPriceMinor === null
      ? null
      : (version.stripeYearlyPriceId ?? (await this.price(productId, version, 'year', version.yearlyPriceMinor)));
    return { monthlyPriceId, yearlyPriceId, archivedStaleIds: archived };
  }

  async archiveProduct(productId: string): Promise<void> {
    await this.port.updateProduct(this.credentials, productId, { name: this.plan.name, description: this.plan.description, active: false });
  }

  private async price(productId: string, version: PlanVersionRow, interval: BillingInterval, amount: number): Promise<string> {
    // Revision 1 keeps the plain key; an in-place price edit is a new price, so it needs a key of its own.
    const suffix = version.priceRevision > 1 ? `:r${version.priceRevision}` : '';
    const made = await this.port.createRecurringPrice(this.credentials, {
      productId, currency: this.plan.currency, unitAmountMinor: amount, interval,
      metadata: { switchboard_plan_id: this.plan.id, switchboard_plan_version_id: version.id, switchboard_version: String(version.version) },
      idempotencyKey: `plan-version:${version.id}:${interval}${suffix}`,
    });
    return made.priceId;
  }
}

type Outcome = { status: 'synced' | 'failed' | 'not_connected'; error: string | null; monthlyPriceId?: string | null; yearlyPriceId?: string | null; archivedStaleIds?: string[] };

async function record(deps: Omit<PlanDeps, 'events'>, scope: Scope, versions: PlanVersionRow[], outcome: (v: PlanVersionRow) => Outcome): Promise<void> {
  if (versions.length === 0) return;
  await deps.runInScope({ agencyId: scope.agencyId }, async (tx) => {
    for (const version of versions) await recordVersionSync(tx, { id: version.id, priceRevision: version.priceRevision, ...outcome(version) });
  });
}

/** The sentence shown beside "Retry sync". Anything but a provider answer is rethrown (a bug, not an outage). */
function describe(err: unknown): string {
  if (!(err instanceof BillingError)) throw err;
  const detail = err.providerMessage ? `: ${err.providerMessage}` : '';
  switch (err.reason) {
    case 'invalid_key': return `Stripe refused the agency's secret key${detail}`;
    case 'unavailable': return `Stripe could not be reached or failed${detail}`;
    case 'not_found': return `Stripe does not know the product or price${detail}`;
    default: return `Stripe rejected the request${detail}`;
  }
}

import type { ScopedDeps } from '../../db/scoped-deps.js';
import type { Principal } from '../auth/principal.js';
import { loadBillingState } from '../entitlements/billing-state-repository.js';
import { decideEntitlement } from '../entitlements/decide-entitlement.js';
import type { BillingState } from '../entitlements/entitlement-types.js';
import { findApplicableOverrides, type FlagOverride } from './flag-override-repository.js';
import { FLAGS, type FlagKey, type FlagStage } from './flag-registry.js';

export type EvaluatedFlag = {
  key: FlagKey;
  description: string;
  stage: FlagStage;
  enabled: boolean;
  /** plan: on by its overrides, but the tenant's plan does not include it (modules/entitlements). */
  source: 'default' | 'global' | 'tenant' | 'user' | 'plan';
};

/** The most specific override wins: user, then tenant, then installation-wide, then the registry default. */
export function resolveFlags(overrides: readonly FlagOverride[], who: { tenantId: string | null; userId: string | null }): EvaluatedFlag[] {
  return FLAGS.map((flag) => {
    const mine = overrides.filter((o) => o.flagKey === flag.key);
    const user = who.userId ? mine.find((o) => o.userId === who.userId) : undefined;
    const tenant = who.tenantId ? mine.find((o) => o.tenantId === who.tenantId && !o.userId) : undefined;
    const global = mine.find((o) => !o.tenantId && !o.userId);
    const [source, override] = user ? ['user', user] : tenant ? ['tenant', tenant] : global ? ['global', global] : ['default', undefined];
    return {
      key: flag.key,
      description: flag.description,
      stage: flag.stage,
      enabled: override ? override.enabled : flag.defaultEnabled,
      source: source as EvaluatedFlag['source'],
    };
  });
}

/** A flag the overrides turn on is off where the tenant's plan lacks that feature (the entitlement decision). */
export function withinPlan(flags: EvaluatedFlag[], billing: BillingState | null, now: Date): EvaluatedFlag[] {
  return flags.map((flag) =>
    flag.enabled && !decideEntitlement(billing, { kind: 'feature.use', feature: flag.key }, now).allowed ? { ...flag, enabled: false, source: 'plan' } : flag);
}

/**
 * Server-side evaluation for one caller. Overrides are read at agency scope: flags are not tenant data.
 * Inside a tenant, its plan's features narrow them (no subscription: nothing is narrowed).
 */
export async function evaluateFlags(deps: ScopedDeps, principal: Principal): Promise<EvaluatedFlag[]> {
  const who = { tenantId: principal.tenantId ?? null, userId: principal.kind === 'user' ? principal.userId : null };
  const { overrides, billing } = await deps.runInScope({ agencyId: principal.agencyId }, async (tx) => ({
    overrides: await findApplicableOverrides(tx, { agencyId: principal.agencyId, ...who }),
    billing: principal.tenantId ? await loadBillingState(tx, { agencyId: principal.agencyId, tenantId: principal.tenantId }) : null,
  }));
  return withinPlan(resolveFlags(overrides, who), billing, new Date());
}

import type { Actor } from '../../http/request-context.js';
import { callStripe } from './stripe-errors.js';
import type { SubscriptionDeps } from './subscription-deps.js';
import { loadTenantBilling } from './tenant-billing-context.js';

const SHOWN = 24;

/** The tenant's latest invoices as Stripe has them (amounts in minor units, Stripe-hosted page and PDF). None without a Stripe customer. */
export async function listInvoices(deps: SubscriptionDeps, input: { actor: Actor }) {
  const { credentials, customerId } = await deps.runInScope({ agencyId: input.actor.principal.agencyId }, async (tx) => {
    const billing = await loadTenantBilling(tx, deps, input.actor);
    return { credentials: billing.credentials, customerId: billing.subscription?.stripeCustomerId };
  });
  if (!credentials || !customerId) return { invoices: [] };
  const invoices = await callStripe(() => deps.billing.port.listInvoices(credentials, { customerId, limit: SHOWN }));
  return {
    invoices: invoices.filter((invoice) => invoice.status !== 'draft').map((invoice) => ({
      id: invoice.id, number: invoice.number, date: invoice.createdAt.toISOString(), amountMinor: invoice.amountDueMinor, amountPaidMinor: invoice.amountPaidMinor,
      currency: invoice.currency, status: invoice.status, hostedUrl: invoice.hostedUrl, pdfUrl: invoice.pdfUrl,
    })),
  };
}

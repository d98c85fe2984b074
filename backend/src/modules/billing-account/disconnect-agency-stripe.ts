import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { BillingAccountDeps } from './billing-account-deps.js';
import { clearStripeSecrets } from './billing-settings-repository.js';

/** Forgets the agency's own Stripe secrets: plans fall back to STRIPE_SECRET_KEY, or to billing outside Switchboard. */
export async function disconnectAgencyStripe(deps: BillingAccountDeps, input: { actor: Actor }): Promise<void> {
  const { agencyId } = input.actor.principal;
  await deps.runInScope({ agencyId }, async (tx) => {
    if (!(await clearStripeSecrets(tx, agencyId))) throw new AppError('NOT_FOUND', 'No Stripe account of the agency is connected');
    await recordAuditEvent(tx, {
      agencyId, ...auditOrigin(input.actor), action: 'billing_account.disconnected', target: { type: 'billing_account', id: 'stripe' },
    });
  });
}

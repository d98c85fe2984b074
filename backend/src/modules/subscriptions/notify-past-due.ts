import { queryOne, queryRows } from '../../db/sql.js';
import { findBillingSettings } from '../billing-account/billing-settings-repository.js';
import { DEFAULT_GRACE_DAYS } from '../entitlements/billing-state-repository.js';
import type { SubscriptionDeps } from './subscription-deps.js';

/**
 * Mails the tenant's owners that a payment failed: service continues for the agency's grace days, then
 * stops until paid; the link opens the Billing page. A mail that cannot be sent is logged, never retried
 * (the banner on the Billing page says the same).
 */
export async function notifyPastDue(deps: SubscriptionDeps, where: { agencyId: string; tenantId: string }): Promise<number> {
  const { owners, tenantName, graceDays } = await deps.runInScope({ agencyId: where.agencyId }, async (tx) => ({
    owners: await queryRows<{ email: string }>(
      tx,
      `SELECT DISTINCT u.email FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.agency_id = :agencyId AND m.tenant_id = :tenantId AND m.role = 'tenant_owner' AND u.status = 'active' ORDER BY u.email`,
      where,
    ),
    tenantName: (await queryOne<{ name: string }>(tx, 'SELECT name FROM tenants WHERE id = :tenantId AND agency_id = :agencyId', where))?.name ?? 'your business',
    graceDays: (await findBillingSettings(tx, where.agencyId))?.graceDays ?? DEFAULT_GRACE_DAYS,
  }));
  if (!deps.mail.canDeliver) return 0;
  const text = [
    `The latest payment for ${tenantName}'s Switchboard subscription failed.`,
    `Everything keeps working for ${graceDays} more day${graceDays === 1 ? '' : 's'}; after that new campaigns, follow-ups and AI replies stop until the payment goes through.`,
    `Update your card and see your invoices here: ${deps.portalUrl}/billing`,
    'Nothing is deleted, and service comes back as soon as the payment succeeds.',
  ].join('\n\n');
  let sent = 0;
  for (const { email } of owners) {
    try {
      await deps.mail.send({ to: email, subject: `Payment failed for ${tenantName}: please update your card`, text });
      sent += 1;
    } catch (err) {
      deps.logger?.warn({ err: (err as Error).message, tenantId: where.tenantId }, 'past-due mail not sent');
    }
  }
  return sent;
}

import { queryRows } from '../../db/sql.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { DEFAULT_GRACE_DAYS } from '../entitlements/billing-state-repository.js';
import { listAgencyIds } from '../outbox/outbox-repository.js';
import type { SubscriptionDeps } from './subscription-deps.js';

type Overdue = { id: string; tenantId: string; planVersionId: string; pastDueSince: string; graceDays: number };

/**
 * Past-due subscriptions whose grace ran out since the last pass: the entitlement check already restricts them
 * (it compares the clock with past_due_since + grace); this tells the world once, audited and published as
 * subscription.restricted for n8n. "Once" = no subscription.restricted audit entry since it fell behind.
 */
export async function announceRestrictions(deps: SubscriptionDeps, options: { agencyId?: string } = {}): Promise<number> {
  const agencyIds = options.agencyId ? [options.agencyId] : await deps.runInScope({}, (tx) => listAgencyIds(tx));
  let announced = 0;
  for (const agencyId of agencyIds) {
    announced += await deps.runInScope({ agencyId }, async (tx) => {
      const overdue = await queryRows<Overdue>(
        tx,
        `SELECT s.id, s.tenant_id AS "tenantId", s.plan_version_id AS "planVersionId", s.past_due_since AS "pastDueSince",
           COALESCE(b.grace_days, :defaultGrace) AS "graceDays"
         FROM subscriptions s LEFT JOIN agency_billing_settings b ON b.agency_id = s.agency_id
         WHERE s.agency_id = :agencyId AND s.status = 'past_due' AND s.past_due_since IS NOT NULL
           AND s.past_due_since + make_interval(days => COALESCE(b.grace_days, :defaultGrace)) <= now()
           AND NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.tenant_id = s.tenant_id AND a.action = 'subscription.restricted'
             AND a.target_id = s.id::text AND a.created_at >= s.past_due_since)
         FOR UPDATE OF s`,
        { agencyId, defaultGrace: DEFAULT_GRACE_DAYS },
      );
      for (const row of overdue) {
        const since = new Date(row.pastDueSince).toISOString();
        await recordAuditEvent(tx, {
          agencyId, tenantId: row.tenantId, actor: { type: 'system', id: 'billing-grace' }, action: 'subscription.restricted',
          target: { type: 'subscription', id: row.id }, after: { status: 'past_due', pastDueSince: since, graceDays: row.graceDays, restricted: true },
        });
        await deps.events.publish({
          type: 'subscription.restricted', agencyId, tenantId: row.tenantId,
          data: { subscriptionId: row.id, planVersionId: row.planVersionId, status: 'past_due', pastDueSince: since, graceDays: row.graceDays, reason: 'grace_ended' },
        }, { transaction: tx });
      }
      return overdue.length;
    });
  }
  return announced;
}

import type { Transaction } from 'sequelize';
import { queryRows } from '../../db/sql.js';

export type TenantHealth = {
  tenantId: string;
  name: string;
  slug: string;
  status: 'active' | 'suspended';
  /** Providers with stored credentials (twilio, whatsapp, telegram, ...), sorted. */
  channels: string[];
  messagesToday: number;
  /** Failed messages plus failed automation executions. */
  failuresToday: number;
  /** Of which: automation executions (n8n) that failed today. */
  automationFailuresToday: number;
  lastMessageAt: string | null;
};

// "Today" is the tenant's own calendar day, so a Sydney clinic's morning is not split at UTC midnight.
// Failures are outbound messages that ended failed, undelivered or dead (retries exhausted) today, plus
// automation executions that failed today (reported by n8n's error workflow).
const HEALTH_SQL = `
  WITH day AS (
    SELECT t.id, t.name, t.slug, t.status,
           date_trunc('day', now() AT TIME ZONE t.time_zone) AT TIME ZONE t.time_zone AS since
      FROM tenants t WHERE t.agency_id = :agencyId
  )
  SELECT day.id AS "tenantId", day.name, day.slug, day.status, automation.failures AS "automationFailuresToday",
         COALESCE((SELECT array_agg(pc.provider ORDER BY pc.provider) FROM provider_credentials pc
                    WHERE pc.tenant_id = day.id), '{}') AS channels,
         (SELECT count(*) FROM messages m WHERE m.tenant_id = day.id AND m.created_at >= day.since)::int AS "messagesToday",
         (SELECT count(*) FROM messages m WHERE m.tenant_id = day.id AND m.direction = 'outbound'
             AND m.status IN ('failed', 'undelivered', 'dead') AND m.updated_at >= day.since)::int + automation.failures AS "failuresToday",
         (SELECT max(m.created_at) FROM messages m WHERE m.tenant_id = day.id) AS "lastMessageAt"
    FROM day
    CROSS JOIN LATERAL (SELECT count(*)::int AS failures FROM automation_failures af
                         WHERE af.tenant_id = day.id AND af.occurred_at >= day.since) automation
   ORDER BY day.name, day.id
   LIMIT :limit OFFSET :offset`;

export async function selectTenantHealth(
  tx: Transaction,
  where: { agencyId: string; limit: number; offset: number },
): Promise<TenantHealth[]> {
  const rows = await queryRows<TenantHealth>(tx, HEALTH_SQL, where);
  return rows.map((row) => ({
    ...row,
    lastMessageAt: row.lastMessageAt === null ? null : new Date(row.lastMessageAt).toISOString(),
  }));
}

import { z } from 'zod';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { queryOne, queryRows } from '../../db/sql.js';
import type { Actor } from '../../http/request-context.js';

const figures = z.object({
  missedCalls: z.number().int(), followedUpWhatsapp: z.number().int(), followedUpSms: z.number().int(),
  replies: z.number().int(), optOuts: z.number().int(),
});
export const overviewView = z.object({
  timeZone: z.string(),
  today: figures,
  week: figures,
  /** The last 7 days in the tenant's time zone, oldest first: missed calls and inbound replies per day. */
  days: z.array(z.object({ day: z.string(), missedCalls: z.number().int(), replies: z.number().int() })),
});
export type Overview = z.infer<typeof overviewView>;

// Periods are the tenant's own calendar: "today" starts at its local midnight, "this week" 7 local days ago.
// A missed call counts as followed up on a channel when an outbound message on it went to that contact
// within a day after the call (the after-call workflow's WhatsApp or SMS).
const FIGURES_SQL = `
  SELECT
    (SELECT count(*) FROM call_logs c WHERE c.tenant_id = :tenantId AND c.outcome = 'missed' AND c.created_at >= :since)::int AS "missedCalls",
    (SELECT count(DISTINCT c.id) FROM call_logs c JOIN contacts k ON k.tenant_id = c.tenant_id AND k.phone = c.from_number
       JOIN messages m ON m.tenant_id = c.tenant_id AND m.contact_id = k.id AND m.direction = 'outbound' AND m.channel = 'whatsapp'
        AND m.created_at BETWEEN c.created_at AND c.created_at + interval '1 day' AND m.status NOT IN ('denied')
      WHERE c.tenant_id = :tenantId AND c.outcome = 'missed' AND c.created_at >= :since)::int AS "followedUpWhatsapp",
    (SELECT count(DISTINCT c.id) FROM call_logs c JOIN contacts k ON k.tenant_id = c.tenant_id AND k.phone = c.from_number
       JOIN messages m ON m.tenant_id = c.tenant_id AND m.contact_id = k.id AND m.direction = 'outbound' AND m.channel = 'sms'
        AND m.created_at BETWEEN c.created_at AND c.created_at + interval '1 day' AND m.status NOT IN ('denied')
      WHERE c.tenant_id = :tenantId AND c.outcome = 'missed' AND c.created_at >= :since)::int AS "followedUpSms",
    (SELECT count(*) FROM messages m WHERE m.tenant_id = :tenantId AND m.direction = 'inbound' AND m.created_at >= :since)::int AS replies,
    (SELECT count(*) FROM consent_events e WHERE e.tenant_id = :tenantId AND e.kind = 'opt_out' AND e.occurred_at >= :since)::int AS "optOuts"`;

const DAYS_SQL = `
  SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
    (SELECT count(*) FROM call_logs c WHERE c.tenant_id = :tenantId AND c.outcome = 'missed'
        AND (c.created_at AT TIME ZONE :tz)::date = d.day)::int AS "missedCalls",
    (SELECT count(*) FROM messages m WHERE m.tenant_id = :tenantId AND m.direction = 'inbound'
        AND (m.created_at AT TIME ZONE :tz)::date = d.day)::int AS replies
  FROM generate_series((now() AT TIME ZONE :tz)::date - 6, (now() AT TIME ZONE :tz)::date, interval '1 day') AS d(day)
  ORDER BY d.day`;

/** Today's and this week's figures for the tenant's home page. */
export function getOverview(deps: ScopedDeps, input: { actor: Actor }): Promise<Overview> {
  const scope = { agencyId: input.actor.principal.agencyId, tenantId: input.actor.principal.tenantId! };
  return deps.runInScope(scope, async (tx) => {
    const tenant = await queryOne<{ tz: string; today: Date; week: Date }>(
      tx,
      `SELECT time_zone AS tz, date_trunc('day', now() AT TIME ZONE time_zone) AT TIME ZONE time_zone AS today,
              (date_trunc('day', now() AT TIME ZONE time_zone) - interval '6 days') AT TIME ZONE time_zone AS week
         FROM tenants WHERE id = :tenantId`,
      scope,
    );
    const tz = tenant?.tz ?? 'UTC';
    const [today, week, days] = [
      await queryOne<Overview['today']>(tx, FIGURES_SQL, { tenantId: scope.tenantId, since: tenant!.today }),
      await queryOne<Overview['week']>(tx, FIGURES_SQL, { tenantId: scope.tenantId, since: tenant!.week }),
      await queryRows<Overview['days'][number]>(tx, DAYS_SQL, { tenantId: scope.tenantId, tz }),
    ];
    return { timeZone: tz, today: today!, week: week!, days };
  });
}

import type { Transaction } from 'sequelize';
import { queryRows } from '../../db/sql.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { AuditEvent } from '../audit/types.js';

export type AgentLimitInput = {
  agencyId: string;
  tenantId: string;
  /** The plan version's agent count; null = unlimited (nothing to do). */
  limit: number | null;
  /** Who changed the plan (staff by hand, or Stripe's webhook/reconcile as a system actor). */
  origin: Pick<AuditEvent, 'actor' | 'requestId' | 'ip'>;
  planVersionId: string;
};

/**
 * Downgrades never destroy data: when the tenant's plan now allows fewer switched-on agents than it has,
 * the NEWEST over-limit agents are switched off (paused, never deleted), each audited as
 * `agent.paused_by_plan`. The owner then chooses on the Agents page which ones stay on (switching one on
 * at the limit is a 402 until another is switched off). Runs inside the transaction that changed the
 * subscription, so the plan and the agents change together. Called by the manual assignment and meant
 * for the Stripe path too. Returns the ids paused.
 */
export async function enforceAgentLimit(tx: Transaction, input: AgentLimitInput): Promise<string[]> {
  if (input.limit === null) return [];
  // The oldest `limit` switched-on agents stay on; the rest are locked and switched off in one statement.
  const paused = await queryRows<{ id: string; name: string }>(
    tx,
    `WITH over AS (
       SELECT id FROM agents WHERE tenant_id = :tenantId AND agency_id = :agencyId AND enabled
        ORDER BY created_at, id OFFSET :limit FOR UPDATE)
     UPDATE agents a SET enabled = false, updated_at = now() FROM over WHERE a.id = over.id
     RETURNING a.id, a.name`,
    { agencyId: input.agencyId, tenantId: input.tenantId, limit: input.limit },
  );
  for (const agent of paused) {
    await recordAuditEvent(tx, {
      agencyId: input.agencyId, tenantId: input.tenantId, ...input.origin, action: 'agent.paused_by_plan',
      target: { type: 'agent', id: agent.id }, before: { enabled: true },
      after: { enabled: false, reason: 'plan_limit', limit: input.limit, planVersionId: input.planVersionId },
    });
  }
  return paused.map((agent) => agent.id);
}

import { z } from 'zod';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { queryRows } from '../../db/sql.js';
import type { Actor } from '../../http/request-context.js';
import { CHANNELS } from '../../ports/messaging.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';

// Per-sender pacing overrides (read by the pipeline: outbox/sender-pacing.ts findConfiguredPacing).
export const senderPacingEntry = z.strictObject({
  channel: z.enum(CHANNELS),
  /** The sender (E.164 number, bot or linked number); null = the tenant's default for the channel. */
  sender: z.string().trim().min(1).max(200).nullable(),
  messagesPerSecond: z.number().positive().max(1000),
});
export const senderPacingBody = z.strictObject({
  pacing: z.array(senderPacingEntry).max(200).refine(
    (entries) => new Set(entries.map((e) => `${e.channel}:${e.sender ?? ''}`)).size === entries.length,
    'Each channel and sender may appear once',
  ),
});
export type SenderPacingEntry = z.infer<typeof senderPacingEntry>;

const tenantScope = (actor: Actor) => ({ agencyId: actor.principal.agencyId, tenantId: actor.principal.tenantId! });

async function readPacing(tx: Parameters<typeof queryRows>[0], tenantId: string): Promise<SenderPacingEntry[]> {
  const rows = await queryRows<{ channel: SenderPacingEntry['channel']; sender: string | null; mps: string }>(
    tx,
    'SELECT channel, sender, messages_per_second AS mps FROM sender_pacing WHERE tenant_id = :tenantId ORDER BY channel, sender NULLS FIRST',
    { tenantId },
  );
  return rows.map((row) => ({ channel: row.channel, sender: row.sender, messagesPerSecond: Number(row.mps) }));
}

export function getSenderPacing(deps: ScopedDeps, input: { actor: Actor }): Promise<{ pacing: SenderPacingEntry[] }> {
  const scope = tenantScope(input.actor);
  return deps.runInScope(scope, async (tx) => ({ pacing: await readPacing(tx, scope.tenantId) }));
}

/** Replaces the tenant's pacing overrides (audited); senders without an entry use the provider's default pace. */
export function replaceSenderPacing(deps: ScopedDeps, input: { actor: Actor; pacing: SenderPacingEntry[] }): Promise<{ pacing: SenderPacingEntry[] }> {
  const scope = tenantScope(input.actor);
  return deps.runInScope(scope, async (tx) => {
    const before = await readPacing(tx, scope.tenantId);
    await queryRows(tx, 'DELETE FROM sender_pacing WHERE tenant_id = :tenantId', scope);
    for (const entry of input.pacing) {
      await queryRows(
        tx,
        'INSERT INTO sender_pacing (tenant_id, channel, sender, messages_per_second) VALUES (:tenantId, :channel, :sender, :mps)',
        { tenantId: scope.tenantId, channel: entry.channel, sender: entry.sender, mps: entry.messagesPerSecond },
      );
    }
    const after = await readPacing(tx, scope.tenantId);
    await recordAuditEvent(tx, {
      ...scope, ...auditOrigin(input.actor), action: 'sender_pacing.updated', target: { type: 'tenant', id: scope.tenantId },
      before: { pacing: before }, after: { pacing: after },
    });
    return { pacing: after };
  });
}

import type { ScopedDeps } from '../../db/scoped-deps.js';
import { queryOne } from '../../db/sql.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import type { Channel } from '../../ports/messaging.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { EnqueueOutbox } from '../messages/messaging-deps.js';
import { discardDeadLetterItem, findDeadLetterItem, retryDeadLetterItem, type DeadLetterKind } from './dead-letter-repository.js';

export type DeadLetterDeps = ScopedDeps & { enqueueOutbox: EnqueueOutbox };
export type DeadLetterOutcome = { kind: DeadLetterKind; id: string; outcome: 'retried' | 'discarded' | 'already_retried' | 'already_discarded' };
type Input = { actor: Actor; kind: DeadLetterKind; id: string };

const AUDIT_ACTION = { retry: 'dead_letter.retried', discard: 'dead_letter.discarded' } as const;

/** Puts a dead letter back in its queue with fresh attempts (audited). Asking again after it was retried changes nothing. */
export function retryDeadLetter(deps: DeadLetterDeps, input: Input): Promise<DeadLetterOutcome> {
  return act(deps, input, 'retry');
}

/** Ends a dead letter for good (audited). Asking again after it was discarded changes nothing. */
export function discardDeadLetter(deps: DeadLetterDeps, input: Input): Promise<DeadLetterOutcome> {
  return act(deps, input, 'discard');
}

async function act(deps: DeadLetterDeps, input: Input, action: 'retry' | 'discard'): Promise<DeadLetterOutcome> {
  const { agencyId } = input.actor.principal;
  const where = { agencyId, kind: input.kind, id: input.id };
  const target = { type: 'dead_letter', id: `${input.kind}:${input.id}` };
  return deps.runInScope({ agencyId }, async (tx) => {
    const item = await findDeadLetterItem(tx, where);
    if (!item?.dead) {
      // Not (or no longer) parked: a repeated click is answered with what happened the first time.
      const previous = await queryOne<{ action: string }>(
        tx,
        `SELECT action FROM audit_events WHERE agency_id = :agencyId AND target_type = :type AND target_id = :targetId
         ORDER BY created_at DESC, seq DESC LIMIT 1`,
        { agencyId, type: target.type, targetId: target.id },
      );
      if (previous?.action === AUDIT_ACTION[action]) return { kind: input.kind, id: input.id, outcome: action === 'retry' ? 'already_retried' : 'already_discarded' };
      if (!item) throw new AppError('NOT_FOUND', 'No such dead letter in this agency');
      throw new AppError('CONFLICT', 'This item is not parked any more: it is waiting in its queue again');
    }
    if (action === 'retry') {
      await retryDeadLetterItem(tx, where);
      if (input.kind === 'outbox') await deps.enqueueOutbox(tx, { messageId: input.id, tenantId: item.tenantId!, channel: item.channel as Channel });
    } else {
      await discardDeadLetterItem(tx, where);
    }
    await recordAuditEvent(tx, { agencyId, tenantId: item.tenantId, ...auditOrigin(input.actor), action: AUDIT_ACTION[action], target });
    return { kind: input.kind, id: input.id, outcome: action === 'retry' ? 'retried' : 'discarded' };
  });
}

import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { findCall, followUpsOf, listCalls as selectCalls, type CallLog, type FollowUp } from './call-repository.js';
import type { CallOutcome } from './call-status.js';

function scopeOf(actor: Actor) {
  return { agencyId: actor.principal.agencyId, tenantId: actor.principal.tenantId! };
}

/** The call log, newest first, each call with the follow-up messages the missed-call automation sent for it. */
export function listCalls(
  deps: ScopedDeps,
  input: { actor: Actor; direction?: 'inbound' | 'outbound'; outcome?: CallOutcome; limit: number; offset: number },
): Promise<(CallLog & { followUps: Omit<FollowUp, 'callId'>[] })[]> {
  const scope = scopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    const calls = await selectCalls(tx, { ...input, tenantId: scope.tenantId });
    const followUps = await followUpsOf(tx, { tenantId: scope.tenantId, callIds: calls.map((c) => c.id) });
    return calls.map((call) => ({
      ...call,
      followUps: followUps.filter((f) => f.callId === call.id).map(({ callId: _callId, ...rest }) => rest),
    }));
  });
}

export async function getCall(deps: ScopedDeps, input: { actor: Actor; callId: string }): Promise<CallLog> {
  const scope = scopeOf(input.actor);
  const call = await deps.runInScope(scope, (tx) => findCall(tx, { tenantId: scope.tenantId, callId: input.callId }));
  if (!call) throw new AppError('NOT_FOUND', 'Call not found');
  return call;
}

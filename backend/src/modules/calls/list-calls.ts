import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { findCall, listCalls as selectCalls, type CallLog } from './call-repository.js';
import type { CallOutcome } from './call-status.js';

function scopeOf(actor: Actor) {
  return { agencyId: actor.principal.agencyId, tenantId: actor.principal.tenantId! };
}

export function listCalls(
  deps: ScopedDeps,
  input: { actor: Actor; direction?: 'inbound' | 'outbound'; outcome?: CallOutcome; limit: number; offset: number },
): Promise<CallLog[]> {
  const scope = scopeOf(input.actor);
  return deps.runInScope(scope, (tx) => selectCalls(tx, { ...input, tenantId: scope.tenantId }));
}

export async function getCall(deps: ScopedDeps, input: { actor: Actor; callId: string }): Promise<CallLog> {
  const scope = scopeOf(input.actor);
  const call = await deps.runInScope(scope, (tx) => findCall(tx, { tenantId: scope.tenantId, callId: input.callId }));
  if (!call) throw new AppError('NOT_FOUND', 'Call not found');
  return call;
}

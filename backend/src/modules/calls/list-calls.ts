import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { findCall, followUpsOf, listCalls as selectCalls, type CallLog, type FollowUp } from './call-repository.js';
import type { CallOutcome } from './call-status.js';
import { automationOfCalls } from '../automation-runs/automation-run-repository.js';
import { followUpStateOf, type FollowUpState } from './follow-up-state.js';

function scopeOf(actor: Actor) {
  return { agencyId: actor.principal.agencyId, tenantId: actor.principal.tenantId! };
}

/**
 * The call log, newest first, each call with the follow-up messages the missed-call automation sent for it
 * and what happened to the follow-up (sent, failed with n8n's error, not run in time).
 */
export function listCalls(
  deps: ScopedDeps,
  input: { actor: Actor; direction?: 'inbound' | 'outbound'; outcome?: CallOutcome; limit: number; offset: number },
): Promise<(CallLog & { followUps: Omit<FollowUp, 'callId'>[]; followUp: FollowUpState })[]> {
  const scope = scopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    const calls = await selectCalls(tx, { ...input, tenantId: scope.tenantId });
    const callIds = calls.map((c) => c.id);
    const followUps = await followUpsOf(tx, { tenantId: scope.tenantId, callIds });
    const automation = await automationOfCalls(tx, { tenantId: scope.tenantId, callIds });
    const now = new Date();
    return calls.map((call) => {
      const mine = {
        followUps: followUps.filter((f) => f.callId === call.id),
        runs: automation.runs.filter((r) => r.callId === call.id),
        failures: automation.failures.filter((f) => f.callId === call.id),
      };
      return {
        ...call,
        followUps: mine.followUps.map(({ callId: _callId, ...rest }) => rest),
        followUp: followUpStateOf(call, mine, now),
      };
    });
  });
}

export async function getCall(deps: ScopedDeps, input: { actor: Actor; callId: string }): Promise<CallLog> {
  const scope = scopeOf(input.actor);
  const call = await deps.runInScope(scope, (tx) => findCall(tx, { tenantId: scope.tenantId, callId: input.callId }));
  if (!call) throw new AppError('NOT_FOUND', 'Call not found');
  return call;
}

import type { AutomationFailure, AutomationRun } from '../automation-runs/automation-run-repository.js';
import type { CallLog, FollowUp } from './call-repository.js';

/** How long after a missed call a follow-up must have started before the call says "automation did not run". */
export const FOLLOW_UP_GRACE_MINUTES = 10;

export type FollowUpState = {
  /**
   * none: not a missed inbound call (nothing to follow up); pending: just missed, the automation has time;
   * running: the automation started and has not sent yet; sent: it sent (see the follow-ups);
   * failed: the automation failed (the error is n8n's); not_run: nothing happened within the grace period.
   */
  state: 'none' | 'pending' | 'running' | 'sent' | 'failed' | 'not_run';
  failure: Pick<AutomationFailure, 'workflowName' | 'node' | 'errorMessage' | 'executionUrl' | 'occurredAt'> | null;
};

/** What happened to a call's follow-up, from its messages and the automation's run and failure records. */
export function followUpStateOf(
  call: CallLog,
  records: { followUps: FollowUp[]; runs: AutomationRun[]; failures: AutomationFailure[] },
  now: Date,
): FollowUpState {
  const failure = records.failures.at(-1);
  const failureView = failure
    ? { workflowName: failure.workflowName, node: failure.node, errorMessage: failure.errorMessage, executionUrl: failure.executionUrl, occurredAt: failure.occurredAt }
    : null;
  if (failure) return { state: 'failed', failure: failureView };
  if (records.followUps.length > 0) return { state: 'sent', failure: null };
  if (call.direction !== 'inbound' || call.outcome !== 'missed') return { state: 'none', failure: null };
  const missedAt = new Date(call.endedAt ?? call.updatedAt).getTime();
  if (now.getTime() - missedAt > FOLLOW_UP_GRACE_MINUTES * 60_000) return { state: 'not_run', failure: null };
  return { state: records.runs.length > 0 ? 'running' : 'pending', failure: null };
}

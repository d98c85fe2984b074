// Call statuses as providers report them, their order, and what a finished call means for the tenant.
export const CALL_STATUSES = ['queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed', 'canceled'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];
export type CallOutcome = 'missed' | 'completed';

const FINAL: ReadonlySet<CallStatus> = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);
const RANK: Record<CallStatus, number> = { queued: 0, initiated: 1, ringing: 2, 'in-progress': 3, completed: 4, busy: 4, 'no-answer': 4, failed: 4, canceled: 4 };

export function isCallStatus(value: string): value is CallStatus {
  return (CALL_STATUSES as readonly string[]).includes(value);
}

export function isFinalCallStatus(status: CallStatus): boolean {
  return FINAL.has(status);
}

/** Callbacks can arrive out of order: a status only replaces one that comes earlier in a call's life. */
export function laterCallStatus(current: CallStatus, incoming: CallStatus): CallStatus {
  if (isFinalCallStatus(current)) return current;
  return RANK[incoming] >= RANK[current] ? incoming : current;
}

/**
 * Missed: nobody really talked — no answer, busy, failed, canceled, or picked up and over within
 * `missedCallMaxSeconds` (voicemail greetings, hang-ups). Anything longer was a conversation.
 */
export function classifyFinishedCall(status: CallStatus, durationSeconds: number | null, missedCallMaxSeconds: number): CallOutcome {
  if (status !== 'completed') return 'missed';
  return (durationSeconds ?? 0) < missedCallMaxSeconds ? 'missed' : 'completed';
}

/**
 * Progressive delays for failed sign-ins: the first `freeFailures - 1` failures cost nothing, the
 * `freeFailures`-th makes the next attempt wait `baseSeconds`, and every further failure doubles
 * the wait up to `maxSeconds`. Nothing ever blocks for longer than `maxSeconds`.
 */
export type BackoffPolicy = { freeFailures: number; baseSeconds: number; maxSeconds: number };

/** Seconds the next attempt must wait after `failures` failures (0: it may go ahead at once). */
export function backoffSeconds(failures: number, policy: BackoffPolicy): number {
  if (failures < policy.freeFailures) return 0;
  const doublings = Math.min(failures - policy.freeFailures, 40); // 2 ** 40 s is far beyond any cap
  return Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** doublings);
}

/**
 * The same delays as a list in milliseconds, index 0 for the first failure, ending with the first
 * capped value (later failures reuse it). Redis applies it atomically without knowing the formula.
 */
export function backoffScheduleMs(policy: BackoffPolicy): number[] {
  const schedule: number[] = [];
  for (let failures = 1; ; failures += 1) {
    const seconds = backoffSeconds(failures, policy);
    schedule.push(seconds * 1000);
    if (seconds >= policy.maxSeconds || failures > policy.freeFailures + 64) return schedule;
  }
}

/** "45 seconds", "2 minutes": how long to wait, for people. */
export function describeWait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

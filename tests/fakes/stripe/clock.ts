import type { Billing } from './account.js';

export function advanceClock(billing: Billing, seconds: number): void {
  billing.account.clock.now += seconds;
}

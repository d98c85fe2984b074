// Billing periods and proration, in whole seconds and integer minor units.
import type { Interval, Price, Subscription } from './types.js';

const DAY = 86_400;

/**
 * `from` plus `count` intervals. Months and years keep the anchor's day of month, clamped to the month's
 * last day (Jan 31 → Feb 28/29 → Mar 31), and the time of day, as Stripe's billing cycle anchor does.
 */
export function addInterval(from: number, interval: Interval, count = 1, anchorDay?: number): number {
  if (interval === 'day' || interval === 'week') return from + count * DAY * (interval === 'week' ? 7 : 1);
  const start = new Date(from * 1000);
  const months = start.getUTCMonth() + count * (interval === 'year' ? 12 : 1);
  const year = start.getUTCFullYear() + Math.floor(months / 12);
  const month = ((months % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(anchorDay ?? start.getUTCDate(), lastDay);
  const end = Date.UTC(year, month, day, start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds());
  return end / 1000;
}

export function nextPeriodEnd(subscription: Subscription, from: number, price: Price): number {
  const anchorDay = new Date(subscription.billing_cycle_anchor * 1000).getUTCDate();
  return addInterval(from, price.recurring!.interval, price.recurring!.interval_count, anchorDay);
}

/**
 * The share of `amount` for `remaining` seconds of a `total`-second period: amount × remaining / total,
 * rounded half up to a whole minor unit, computed exactly (BigInt, no floating point).
 * A plan change at time t in period [start, end) costs
 *   charge = prorate(newUnit × qty, end − t, end − start)   (the remaining time on the new price)
 *   credit = −prorate(oldUnit × qty, end − t, end − start)  (the unused time already paid on the old one)
 */
export function prorate(amount: number, remaining: number, total: number): number {
  if (total <= 0 || remaining <= 0) return 0;
  const [a, r, t] = [BigInt(amount), BigInt(Math.min(remaining, total)), BigInt(total)];
  return Number((2n * a * r + t) / (2n * t));
}

export const sameCycle = (a: Price, b: Price) =>
  a.recurring?.interval === b.recurring?.interval && a.recurring?.interval_count === b.recurring?.interval_count;

import { DEFAULT_GRACE_DAYS } from '../entitlements/billing-state-repository.js';
import { restriction } from '../entitlements/decide-entitlement.js';
import type { BillingState } from '../entitlements/entitlement-types.js';
import type { TenantBillingRow } from './tenant-billing-repository.js';

export type BillingColumnStatus = 'none' | 'trialing' | 'active' | 'past_due' | 'restricted' | 'canceled';

export type TenantBillingColumn = {
  plan: { id: string; name: string; version: number } | null;
  status: BillingColumnStatus;
  billing: 'stripe' | 'manual' | 'comped' | null;
  interval: 'month' | 'year' | null;
  /** Monthly recurring revenue in the plan's currency, minor units (0 when nothing is paid for). */
  mrrMinor: number;
  currency: string | null;
  /** A payment is overdue (past due, in grace or not, or unpaid). */
  pastDue: boolean;
  graceUntil: string | null;
};

export type MrrTotals = { currency: string; mrrMinor: number; otherCurrencies: { currency: string; mrrMinor: number }[] };

/** A yearly price as monthly revenue: a twelfth, rounded half up to the minor unit, in integers only. */
export function monthlyShareOfYear(yearlyMinor: number): number {
  const whole = Math.floor(yearlyMinor / 12);
  return yearlyMinor % 12 >= 6 ? whole + 1 : whole;
}

/**
 * MRR counts what is actually billed: active and past-due subscriptions billed through Stripe or by hand
 * (a past-due customer is still a customer until Stripe gives up). Trials, comped, paused, unpaid,
 * canceled and unfinished Checkouts count 0. Yearly prices count a twelfth.
 */
export function mrrOf(row: TenantBillingRow): number {
  if (row.status !== 'active' && row.status !== 'past_due') return 0;
  if (row.billing === 'comped' || row.monthlyPriceMinor === null) return 0;
  if (row.interval === 'year' && row.yearlyPriceMinor !== null) return monthlyShareOfYear(row.yearlyPriceMinor);
  return row.monthlyPriceMinor;
}

function statusOf(row: TenantBillingRow, graceDays: number, now: Date): { status: BillingColumnStatus; graceUntil: Date | undefined } {
  if (row.status === null || row.status === 'incomplete') return { status: 'none', graceUntil: undefined };
  if (row.status === 'trialing' || row.status === 'active' || row.status === 'canceled') return { status: row.status, graceUntil: undefined };
  const state = { status: row.status, billing: row.billing!, pastDueSince: row.pastDueSince ? new Date(row.pastDueSince) : null, graceDays } as BillingState; // restriction() reads status and dates only
  const { restricted, graceUntil } = restriction(state, now);
  return { status: restricted ? 'restricted' : 'past_due', graceUntil };
}

/** One tenant's plan/billing column on the agency overview. */
export function billingColumnOf(row: TenantBillingRow, graceDays = DEFAULT_GRACE_DAYS, now = new Date()): TenantBillingColumn {
  const { status, graceUntil } = statusOf(row, graceDays, now);
  const live = status !== 'none';
  return {
    plan: live && row.planId ? { id: row.planId, name: row.planName!, version: row.planVersion! } : null,
    status,
    billing: live ? row.billing : null,
    interval: live ? row.interval : null,
    mrrMinor: mrrOf(row),
    currency: live ? row.currency : null,
    pastDue: row.status === 'past_due' || row.status === 'unpaid',
    graceUntil: graceUntil?.toISOString() ?? null,
  };
}

/** The agency's total MRR in its currency; plans priced in another currency are summed apart, never converted. */
export function mrrTotalsOf(columns: TenantBillingColumn[], agencyCurrency: string): MrrTotals {
  const sums = new Map<string, number>([[agencyCurrency, 0]]);
  for (const column of columns) {
    if (column.currency && column.mrrMinor > 0) sums.set(column.currency, (sums.get(column.currency) ?? 0) + column.mrrMinor);
  }
  const otherCurrencies = [...sums].filter(([currency]) => currency !== agencyCurrency).map(([currency, mrrMinor]) => ({ currency, mrrMinor }));
  return { currency: agencyCurrency, mrrMinor: sums.get(agencyCurrency)!, otherCurrencies };
}

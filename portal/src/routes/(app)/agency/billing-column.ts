// The overview's plan/billing column (backend agency-overview: GET /api/v1/agency/tenants/health, billing fields).
import { formatMoney } from './plans/money.js';

export type BillingStatus = 'none' | 'trialing' | 'active' | 'past_due' | 'restricted' | 'canceled';
export type TenantBilling = {
  plan: { id: string; name: string; version: number } | null;
  status: BillingStatus;
  billing: 'stripe' | 'manual' | 'comped' | null;
  interval: 'month' | 'year' | null;
  mrrMinor: number;
  currency: string | null;
  pastDue: boolean;
  graceUntil: string | null;
};
export type MrrTotals = { currency: string; mrrMinor: number; otherCurrencies: { currency: string; mrrMinor: number }[] };
/** A plan the agency can assign (its current version), as the column's action offers them. */
export type AssignablePlan = { id: string; name: string; version: number; yearly: boolean; trialDays: number };

export const BILLING_STATUS_LABEL: Record<BillingStatus, string> = {
  none: 'No plan', trialing: 'Trial', active: 'Active', past_due: 'Past due', restricted: 'Restricted', canceled: 'Canceled',
};

const HOW: Record<'stripe' | 'manual' | 'comped', string> = { stripe: 'paid through Stripe', manual: 'billed outside Switchboard', comped: 'free (comped)' };

/** "Growth v2 · paid through Stripe · yearly", or "No plan". */
export function planLine(billing: TenantBilling): string {
  if (!billing.plan) return 'No plan';
  const parts = [`${billing.plan.name} v${billing.plan.version}`];
  if (billing.billing) parts.push(HOW[billing.billing]);
  if (billing.interval === 'year') parts.push('yearly');
  return parts.join(' · ');
}

/** The row's MRR, exact from minor units ("$49.00"); a dash when there is no plan. */
export function mrrLabel(billing: TenantBilling, agencyCurrency: string): string {
  return formatMoney(billing.mrrMinor, billing.currency ?? agencyCurrency);
}

/** "$1,234.00 a month" plus the other currencies, summed apart. */
export function totalMrrLabel(totals: MrrTotals): string {
  return [totals, ...totals.otherCurrencies].map((t) => formatMoney(t.mrrMinor, t.currency)).join(' + ');
}

export const MRR_BASIS = 'Monthly recurring revenue: the monthly price, or the yearly price divided by 12 and rounded to the cent. '
  + 'Active and past-due subscriptions count; trials, comped, unpaid, paused and canceled ones count 0.';

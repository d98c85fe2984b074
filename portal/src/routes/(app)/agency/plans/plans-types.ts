// The Plans API's answers, as this page uses them.
import type { Entitlements } from './plan-form.js';

export type SyncStatus = 'pending' | 'synced' | 'not_connected' | 'failed';
export type PlanVersion = {
  id: string; version: number; monthlyPriceMinor: number; yearlyPriceMinor: number | null; trialDays: number; entitlements: Entitlements;
  stripeSync: { status: SyncStatus; error: string | null }; subscriberCount: number; createdAt: string;
};
export type Plan = {
  id: string; name: string; description: string; currency: string; stripeProductId: string | null; archivedAt: string | null;
  stripeSync: { status: SyncStatus; error: string | null }; subscriberCount: number; current: PlanVersion; versions: PlanVersion[];
};
export type BillingAccount = {
  source: 'agency' | 'environment' | 'none'; secretKeyLast4: string | null; mode: 'test' | 'live' | null; webhookConfigured: boolean;
  currency: string; graceDays: number;
};
export type Flag = { key: string; description: string };
export type TenantChoice = { tenantId: string; name: string };

/** What an action returns to the page: which form, which plan, a sentence, field errors. */
export type PlansForm = { action: string; planId?: string; done?: string; errors?: Record<string, string>; values?: Record<string, string> } | null;

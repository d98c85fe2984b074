// What GET /api/v1/billing and /api/v1/billing/invoices answer (backend/src/modules/subscriptions/schemas.ts).
export type Entitlements = {
  agents: number | null;
  seats: number | null;
  channels: string[];
  features: string[];
  allowances: Record<'sms_segments' | 'voice_minutes' | 'whatsapp_messages' | 'ai_tokens' | 'ai_replies', number>;
};

export type SubscriptionStatus = 'trialing' | 'active' | 'past_due' | 'unpaid' | 'canceled' | 'paused' | 'incomplete';

export type BillingSubscription = {
  id: string; status: SubscriptionStatus; billing: 'stripe' | 'manual' | 'comped'; interval: 'month' | 'year';
  plan: { id: string; name: string; versionId: string; version: number };
  currentPeriodStart: string; currentPeriodEnd: string; nextPaymentAt: string | null; trialEnd: string | null; trialDaysLeft: number | null;
  cancelAtPeriodEnd: boolean; pastDueSince: string | null;
};

export type OfferedPlan = {
  id: string; name: string; description: string; currency: string; versionId: string; version: number; monthlyPriceMinor: number;
  yearlyPriceMinor: number | null; trialDays: number; entitlements: Entitlements; current: boolean; payableOnline: boolean;
};

export type Billing = {
  subscription: BillingSubscription | null;
  entitlements: Entitlements | null;
  banner: { kind: 'past_due' | 'restricted'; graceUntil: string | null; message: string } | null;
  plans: OfferedPlan[];
  payments: { online: boolean; customerPortal: boolean };
};

export type Invoice = {
  id: string; number: string | null; date: string; amountMinor: number; amountPaidMinor: number; currency: string;
  status: 'draft' | 'open' | 'paid' | 'uncollectible' | 'void'; hostedUrl: string | null; pdfUrl: string | null;
};

/** What a form action answers: a sentence that it worked, or what went wrong. */
export type BillingForm = { done?: string; error?: string } | null;

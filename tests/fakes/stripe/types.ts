// The Stripe objects the fake keeps, shaped like the API version the pinned SDK (stripe 23, API
// 2026-10-28) speaks: periods live on subscription items (no top-level current_period_*), an invoice
// names its subscription under parent.subscription_details. Fields starting with `_` are the fake's own
// bookkeeping and never leave it (see `visible` in replies.ts).
export type Metadata = Record<string, string>;
export type List<T> = { object: 'list'; data: T[]; has_more: boolean; url: string; total_count?: number };
export type Interval = 'day' | 'week' | 'month' | 'year';

export type Product = {
  id: string; object: 'product'; active: boolean; created: number; updated: number; name: string; description: string | null;
  metadata: Metadata; default_price: string | null; images: string[]; livemode: false; type: 'service'; url: string | null;
};

export type Price = {
  id: string; object: 'price'; active: boolean; billing_scheme: 'per_unit'; created: number; currency: string; livemode: false;
  lookup_key: string | null; metadata: Metadata; nickname: string | null; product: string; type: 'one_time' | 'recurring';
  recurring: { interval: Interval; interval_count: number; usage_type: 'licensed'; meter: null; trial_period_days: null } | null;
  tax_behavior: 'unspecified'; unit_amount: number; unit_amount_decimal: string;
};

export type Customer = {
  id: string; object: 'customer'; balance: number; created: number; currency: string | null; delinquent: boolean;
  description: string | null; email: string | null; name: string | null; phone: string | null; livemode: false; metadata: Metadata;
  invoice_prefix: string; invoice_settings: { default_payment_method: string | null; custom_fields: null; footer: null };
};

export type SubscriptionStatus = 'incomplete' | 'incomplete_expired' | 'trialing' | 'active' | 'past_due' | 'unpaid' | 'canceled' | 'paused';

export type SubscriptionItem = {
  id: string; object: 'subscription_item'; created: number; current_period_start: number; current_period_end: number;
  metadata: Metadata; price: Price; quantity: number; subscription: string; discounts: string[]; tax_rates: never[];
};

export type PauseCollection = { behavior: 'void' | 'keep_as_draft' | 'mark_uncollectible'; resumes_at: number | null };

export type Subscription = {
  id: string; object: 'subscription'; status: SubscriptionStatus; customer: string; currency: string; created: number; start_date: number;
  billing_cycle_anchor: number; cancel_at: number | null; cancel_at_period_end: boolean; canceled_at: number | null; ended_at: number | null;
  cancellation_details: { comment: string | null; feedback: string | null; reason: string | null };
  collection_method: 'charge_automatically'; default_payment_method: string | null; description: string | null; discounts: string[];
  items: List<SubscriptionItem>; latest_invoice: string | null; livemode: false; metadata: Metadata; pause_collection: PauseCollection | null;
  trial_start: number | null; trial_end: number | null;
  trial_settings: { end_behavior: { missing_payment_method: 'create_invoice' | 'pause' | 'cancel' } };
  /** Bookkeeping: trial_will_end already sent for this trial_end; when an incomplete subscription expires. */
  _trialWillEndFor?: number; _incompleteUntil?: number;
};

export type InvoiceLine = {
  id: string; object: 'line_item'; amount: number; currency: string; description: string; invoice: string; livemode: false;
  metadata: Metadata; period: { start: number; end: number }; quantity: number;
  pricing: { type: 'price_details'; price_details: { price: string; product: string }; unit_amount_decimal: string } | null;
  parent: { type: 'subscription_item_details'; subscription_item_details: { subscription: string; subscription_item: string; proration: boolean; invoice_item: string | null } };
};

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';

export type Invoice = {
  id: string; object: 'invoice'; number: string | null; status: InvoiceStatus; customer: string; customer_email: string | null;
  customer_name: string | null; currency: string; amount_due: number; amount_paid: number; amount_remaining: number; subtotal: number;
  total: number; attempt_count: number; attempted: boolean; auto_advance: boolean; next_payment_attempt: number | null;
  billing_reason: 'subscription_create' | 'subscription_cycle' | 'subscription_update' | 'manual'; collection_method: 'charge_automatically';
  created: number; effective_at: number | null; period_start: number; period_end: number; hosted_invoice_url: string | null;
  invoice_pdf: string | null; lines: List<InvoiceLine>; livemode: false; metadata: Metadata; description: string | null;
  parent: { type: 'subscription_details'; quote_details: null; subscription_details: { subscription: string; metadata: Metadata } } | null;
  status_transitions: { finalized_at: number | null; paid_at: number | null; marked_uncollectible_at: number | null; voided_at: number | null };
  /** Bookkeeping: when a draft finalizes itself (Stripe waits about an hour after a renewal); the first failed attempt. */
  _finalizeAt?: number; _firstFailedAt?: number; _autoFailures?: number;
};

export type InvoiceItem = {
  id: string; object: 'invoiceitem'; amount: number; currency: string; customer: string; date: number; description: string;
  invoice: string | null; livemode: false; metadata: Metadata; period: { start: number; end: number }; proration: boolean; quantity: number;
  pricing: { type: 'price_details'; price_details: { price: string; product: string }; unit_amount_decimal: string };
  parent: { type: 'subscription_details'; subscription_details: { subscription: string; subscription_item: string } };
};

export type CheckoutSession = {
  id: string; object: 'checkout.session'; mode: 'subscription'; status: 'open' | 'complete' | 'expired';
  payment_status: 'paid' | 'unpaid' | 'no_payment_required'; url: string | null; success_url: string | null; cancel_url: string | null;
  client_reference_id: string | null; customer: string | null; customer_email: string | null;
  customer_details: { email: string | null; name: string | null } | null; metadata: Metadata; subscription: string | null;
  invoice: string | null; currency: string; amount_subtotal: number; amount_total: number; created: number; expires_at: number;
  livemode: false; payment_link: null;
  _lineItems: { price: string; quantity: number }[]; _trialDays: number | null; _subscriptionMetadata: Metadata; _declined?: boolean;
};

export type PortalSession = {
  id: string; object: 'billing_portal.session'; configuration: string; created: number; customer: string; livemode: false;
  locale: null; on_behalf_of: null; flow: null; return_url: string | null; url: string;
};

export type WebhookEndpoint = {
  id: string; object: 'webhook_endpoint'; api_version: string | null; created: number; description: string | null;
  enabled_events: string[]; livemode: false; metadata: Metadata; status: 'enabled' | 'disabled'; url: string; secret?: string;
  _secret: string;
};

// One Stripe account of the fake (one secret key): its objects, its clock (Stripe's "now" for this
// account, moved by advanceClock), its payment switches and its dunning settings.
import type { FormValue } from './form.js';
import type { StripeEvent } from './webhooks.js';
import type {
  CheckoutSession, Customer, Invoice, InvoiceItem, Price, Product, PortalSession, Subscription, WebhookEndpoint,
} from './types.js';

export type Params = Record<string, FormValue>;
export type PaymentOutcome = 'fail' | 'succeed';

/**
 * What happens after a renewal payment fails: retries `retryDays` days after the first failure (Stripe's
 * custom retry schedule), then the subscription becomes `onExhausted` and the invoice is left open or
 * marked uncollectible.
 */
export type Dunning = { retryDays: number[]; onExhausted: 'unpaid' | 'canceled'; markUncollectible: boolean };
export const DEFAULT_DUNNING: Dunning = { retryDays: [3, 5, 7], onExhausted: 'unpaid', markUncollectible: false };

/**
 * A Map of Stripe objects that also takes partial objects (tests seed `{ id, name }` directly) and fills
 * the missing fields with defaults, in place, so the object set is the object stored.
 */
export class ObjectStore<T extends { id: string }> extends Map<string, T> {
  constructor(private readonly defaults: (id: string) => T) {
    super();
  }

  override set(key: string, value: Partial<T>): this {
    const complete = value as Record<string, unknown>;
    for (const [field, fallback] of Object.entries(this.defaults(key))) if (!(field in complete)) complete[field] = fallback;
    return super.set(key, complete as T);
  }
}

const defaultProduct = (id: string): Product => ({
  id, object: 'product', active: true, created: realNow(), updated: realNow(), name: id, description: null, metadata: {},
  default_price: null, images: [], livemode: false, type: 'service', url: null,
});

const defaultPrice = (id: string): Price => ({
  id, object: 'price', active: true, billing_scheme: 'per_unit', created: realNow(), currency: 'usd', livemode: false, lookup_key: null,
  metadata: {}, nickname: null, product: '', type: 'one_time', recurring: null, tax_behavior: 'unspecified', unit_amount: 0, unit_amount_decimal: '0',
});

export type StripeAccount = {
  secretKey: string;
  clock: { now: number };
  products: ObjectStore<Product>;
  prices: ObjectStore<Price>;
  paymentLinks: Map<string, Record<string, unknown>>;
  customers: Map<string, Customer>;
  checkoutSessions: Map<string, CheckoutSession>;
  portalSessions: Map<string, PortalSession>;
  subscriptions: Map<string, Subscription>;
  invoices: Map<string, Invoice>;
  invoiceItems: Map<string, InvoiceItem>;
  webhookEndpoints: Map<string, WebhookEndpoint>;
  events: StripeEvent[];
  /** Attached cards: `declines` cards attach fine but every charge on them fails (pm_card_chargeCustomerFail). */
  paymentMethods: Map<string, { id: string; declines: boolean }>;
  /** Per customer: outcomes for the next charges (queue first), then a standing outcome. */
  paymentSwitches: Map<string, { queue: PaymentOutcome[]; standing?: PaymentOutcome }>;
  invoiceSequence: number;
  dunning: Dunning;
};

export const realNow = () => Math.floor(Date.now() / 1000);

export function newAccount(secretKey: string): StripeAccount {
  return {
    secretKey, clock: { now: realNow() }, products: new ObjectStore(defaultProduct), prices: new ObjectStore(defaultPrice), paymentLinks: new Map(), customers: new Map(),
    checkoutSessions: new Map(), portalSessions: new Map(), subscriptions: new Map(), invoices: new Map(), invoiceItems: new Map(),
    webhookEndpoints: new Map(), events: [], paymentMethods: new Map(), paymentSwitches: new Map(), invoiceSequence: 0,
    dunning: { ...DEFAULT_DUNNING },
  };
}

/** Forgets every object, event and switch; the key, its webhook endpoints and its dunning settings stay. */
export function clearAccount(account: StripeAccount): void {
  for (const store of [account.products, account.prices, account.paymentLinks, account.customers, account.checkoutSessions,
    account.portalSessions, account.subscriptions, account.invoices, account.invoiceItems, account.paymentMethods, account.paymentSwitches]) {
    store.clear();
  }
  account.events.length = 0;
  account.invoiceSequence = 0;
  account.clock.now = realNow();
}

/** Everything a billing operation needs: the account, its clock, the event sink and where hosted pages live. */
export type Billing = {
  account: StripeAccount;
  now(): number;
  emit(type: string, object: object, previousAttributes?: object): void;
  pagesUrl: string;
};

import Stripe from 'stripe';
import {
  BillingError,
  type BillingCredentials,
  type BillingInvoice,
  type BillingPort,
  type BillingSubscription,
  type BillingWebhookEvent,
  type CheckoutSessionInput,
  type ProductInput,
  type RecurringPriceInput,
} from '../../ports/billing.js';
import { classifyStripeError, stripeClient, type StripeSdkOptions } from '../stripe/stripe-sdk.js';

export type StripeBillingOptions = StripeSdkOptions;

/**
 * The agency's catalogue in its own Stripe account, over the official SDK. Creations carry idempotency
 * keys derived from our ids (plan:<id>:product, plan-version:<id>:month), so a retried sync finds the
 * product and prices it made before instead of making new ones.
 */
export class StripeBilling implements BillingPort {
  readonly provider = 'stripe';

  constructor(private readonly options: StripeBillingOptions) {}

  async verifyKey(credentials: BillingCredentials): Promise<void> {
    const stripe = this.client(credentials);
    await withStripeErrors(() => stripe.products.list({ limit: 1 }));
  }

  async createProduct(credentials: BillingCredentials, input: ProductInput): Promise<{ productId: string }> {
    const stripe = this.client(credentials);
    const product = await withStripeErrors(() =>
      stripe.products.create(
        { name: input.name, ...(input.description && { description: input.description }), metadata: input.metadata },
        { idempotencyKey: input.idempotencyKey },
      ),
    );
    return { productId: product.id };
  }

  async updateProduct(credentials: BillingCredentials, productId: string, input: { name: string; description: string; active: boolean }): Promise<void> {
    const stripe = this.client(credentials);
    // An empty string unsets Stripe's description.
    await withStripeErrors(() => stripe.products.update(productId, { name: input.name, description: input.description, active: input.active }));
  }

  async createRecurringPrice(credentials: BillingCredentials, input: RecurringPriceInput): Promise<{ priceId: string }> {
    const stripe = this.client(credentials);
    const price = await withStripeErrors(() =>
      stripe.prices.create(
        {
          product: input.productId, currency: input.currency.toLowerCase(), unit_amount: input.unitAmountMinor,
          recurring: { interval: input.interval }, metadata: input.metadata,
        },
        { idempotencyKey: input.idempotencyKey },
      ),
    );
    return { priceId: price.id };
  }

  async archivePrice(credentials: BillingCredentials, priceId: string): Promise<void> {
    const stripe = this.client(credentials);
    await withStripeErrors(() => stripe.prices.update(priceId, { active: false }));
  }

  async createCustomer(credentials: BillingCredentials, input: { name: string; email?: string; metadata: Record<string, string>; idempotencyKey: string }): Promise<{ customerId: string }> {
    const stripe = this.client(credentials);
    const customer = await withStripeErrors(() =>
      stripe.customers.create({ name: input.name, ...(input.email && { email: input.email }), metadata: input.metadata }, { idempotencyKey: input.idempotencyKey }));
    return { customerId: customer.id };
  }

  async createCheckoutSession(credentials: BillingCredentials, input: CheckoutSessionInput): Promise<{ id: string; url: string }> {
    const stripe = this.client(credentials);
    const session = await withStripeErrors(() => stripe.checkout.sessions.create({
      mode: 'subscription', customer: input.customerId, line_items: [{ price: input.priceId, quantity: 1 }],
      client_reference_id: input.clientReferenceId, metadata: input.metadata, success_url: input.successUrl, cancel_url: input.cancelUrl,
      subscription_data: { metadata: input.metadata, ...(input.trialDays > 0 && { trial_period_days: input.trialDays }) },
    }));
    return { id: session.id, url: session.url ?? '' };
  }

  async createPortalSession(credentials: BillingCredentials, input: { customerId: string; returnUrl: string }): Promise<{ url: string }> {
    const stripe = this.client(credentials);
    const session = await withStripeErrors(() => stripe.billingPortal.sessions.create({ customer: input.customerId, return_url: input.returnUrl }));
    return { url: session.url };
  }

  async retrieveSubscription(credentials: BillingCredentials, subscriptionId: string): Promise<BillingSubscription> {
    const stripe = this.client(credentials);
    return subscriptionOf(await withStripeErrors(() => stripe.subscriptions.retrieve(subscriptionId)));
  }

  async listInvoices(credentials: BillingCredentials, input: { customerId: string; limit: number }): Promise<BillingInvoice[]> {
    const stripe = this.client(credentials);
    const list = await withStripeErrors(() => stripe.invoices.list({ customer: input.customerId, limit: input.limit }));
    return list.data.map((invoice) => ({
      id: invoice.id ?? '', number: invoice.number, createdAt: new Date(invoice.created * 1000), amountDueMinor: invoice.amount_due,
      amountPaidMinor: invoice.amount_paid, currency: invoice.currency, status: (invoice.status ?? 'draft') as BillingInvoice['status'],
      hostedUrl: invoice.hosted_invoice_url ?? null, pdfUrl: invoice.invoice_pdf ?? null,
    }));
  }

  async updateSubscription(credentials: BillingCredentials, subscriptionId: string, input: { priceId?: string; cancelAtPeriodEnd?: boolean }): Promise<BillingSubscription> {
    const stripe = this.client(credentials);
    return withStripeErrors(async () => {
      const params: Stripe.SubscriptionUpdateParams = {};
      if (input.priceId) {
        const current = await stripe.subscriptions.retrieve(subscriptionId);
        params.items = [{ id: current.items.data[0]!.id, price: input.priceId }];
        params.proration_behavior = 'create_prorations';
      }
      if (input.cancelAtPeriodEnd !== undefined) params.cancel_at_period_end = input.cancelAtPeriodEnd;
      return subscriptionOf(await stripe.subscriptions.update(subscriptionId, params));
    });
  }

  async cancelSubscription(credentials: BillingCredentials, subscriptionId: string): Promise<BillingSubscription> {
    const stripe = this.client(credentials);
    return subscriptionOf(await withStripeErrors(() => stripe.subscriptions.cancel(subscriptionId)));
  }

  verifyWebhook(payload: Buffer, signature: string, secret: string): BillingWebhookEvent {
    try {
      // Stripe-Signature: t=<timestamp>,v1=<HMAC-SHA256 of "t.payload">; the SDK rejects timestamps older than 5 minutes.
      const event = Stripe.webhooks.constructEvent(payload, signature, secret);
      return { id: event.id, type: event.type, created: new Date(event.created * 1000), object: event.data.object as unknown as Record<string, unknown> };
    } catch (err) {
      throw new BillingError('rejected', 'Stripe webhook signature does not verify', (err as Error).message);
    }
  }

  private client(credentials: BillingCredentials): Stripe {
    return stripeClient(credentials.secretKey, this.options);
  }
}

function subscriptionOf(subscription: Stripe.Subscription): BillingSubscription {
  const item = subscription.items.data[0];
  if (!item) throw new BillingError('rejected', 'Stripe subscription has no item');
  const seconds = (value: number) => new Date(value * 1000);
  return {
    id: subscription.id, customerId: typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id,
    status: subscription.status as BillingSubscription['status'], priceId: item.price.id, interval: item.price.recurring?.interval === 'year' ? 'year' : 'month',
    currentPeriodStart: seconds(item.current_period_start), currentPeriodEnd: seconds(item.current_period_end),
    cancelAtPeriodEnd: subscription.cancel_at_period_end, trialEnd: subscription.trial_end ? seconds(subscription.trial_end) : null,
    metadata: { ...subscription.metadata }, created: seconds(subscription.created),
  };
}

async function withStripeErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toBillingError(err);
  }
}

function toBillingError(err: unknown): unknown {
  const failure = classifyStripeError(err);
  return failure ? new BillingError(failure.reason, failure.message, failure.providerMessage) : err;
}

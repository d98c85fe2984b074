// Sends Stripe-signed webhook events, the way Stripe does (Stripe-Signature made by the official SDK's
// generateTestHeaderString), e.g. checkout.session.completed for a payment link.
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';

export type StripeEvent = {
  id: string; object: 'event'; type: string; created: number; livemode: false;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  api_version?: string; pending_webhooks?: number; request?: { id: string | null; idempotency_key: string | null };
};

export function stripeEvent(type: string, object: Record<string, unknown>): StripeEvent {
  return { id: `evt_${randomBytes(12).toString('hex')}`, object: 'event', type, created: Math.floor(Date.now() / 1000), livemode: false, data: { object } };
}

/** The event a paid payment link produces. */
export function checkoutCompleted(link: { id: string; metadata?: Record<string, unknown> }, amountTotal: number, currency: string): StripeEvent {
  return stripeEvent('checkout.session.completed', {
    id: `cs_test_${randomBytes(12).toString('hex')}`, object: 'checkout.session', payment_link: link.id, payment_status: 'paid',
    status: 'complete', amount_total: amountTotal, currency, metadata: link.metadata ?? {},
  });
}

/** Signs `payload` as Stripe does: `t=<unix seconds>,v1=<HMAC-SHA256 of "t.payload" with the endpoint secret>`. */
export function stripeSignature(payload: string, secret: string): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret });
}

export class StripeWebhookSender {
  constructor(private readonly webhookSecret: string) {}

  signature(payload: string): string {
    return stripeSignature(payload, this.webhookSecret);
  }

  async send(url: string, event: StripeEvent): Promise<Response> {
    const payload = JSON.stringify(event);
    return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': this.signature(payload) }, body: payload });
  }
}

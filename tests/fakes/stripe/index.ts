export { FakeStripe, stripeId, stripeTestKey, type StripeAccount } from './fake-stripe.js';
export { checkoutCompleted, stripeEvent, StripeWebhookSender, type StripeEvent } from './webhooks.js';

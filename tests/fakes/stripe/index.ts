export { FakeStripe, stripeId, stripeTestKey, type StripeAccount } from './fake-stripe.js';
export { DEFAULT_DUNNING, type Billing, type Dunning, type PaymentOutcome } from './account.js';
export { type Delivery, type DeliveryTarget, WebhookDeliveries } from './delivery.js';
export { checkoutCompleted, stripeEvent, stripeSignature, StripeWebhookSender, type StripeEvent } from './webhooks.js';
export type * from './types.js';
export { clickButton, formWithButton, submitForm, WebhookReceiver, type Received } from './receiver.js';

import { queryOne } from '../../db/sql.js';
import { decryptSecret } from '../../infra/crypto.js';
import { AppError } from '../../http/errors.js';
import { BillingError, type BillingWebhookEvent } from '../../ports/billing.js';
import { findBillingSettings } from '../billing-account/billing-settings-repository.js';
import { recordWebhookFailure } from '../system-health/record-webhook-failure.js';
import { markBillingEventApplied, recordBillingEvent } from './billing-event-repository.js';
import type { SubscriptionDeps } from './subscription-deps.js';
import { syncStripeSubscription, type SyncOutcome } from './sync-stripe-subscription.js';

/** The events that can change a subscription; each re-reads the subscription from Stripe. Others are stored only. */
export const SUBSCRIPTION_WEBHOOK_EVENTS = [
  'checkout.session.completed', 'customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted',
  'customer.subscription.paused', 'customer.subscription.resumed', 'invoice.paid', 'invoice.payment_failed', 'invoice.finalized',
] as const;

export type WebhookReceipt = { eventId: string; type: string; duplicate: boolean; outcome: SyncOutcome['outcome'] | 'stored' };

/**
 * A Stripe Billing webhook for one agency: the Stripe-Signature checked against the agency's signing
 * secret (403 and nothing stored when it does not verify), the event stored once per id, then the
 * subscription it is about re-read from Stripe and written (see syncStripeSubscription). An event already
 * applied is a no-op; one whose apply failed (Stripe down) answers 5xx, so Stripe retries it.
 */
export async function receiveBillingWebhook(deps: SubscriptionDeps, input: { agencyId: string; payload: Buffer; signature: string }): Promise<WebhookReceipt> {
  const { agencyId } = input;
  const secret = await webhookSecretOf(deps, agencyId);
  if (!secret) throw new AppError('FORBIDDEN', 'Invalid Stripe webhook');
  let event: BillingWebhookEvent;
  try {
    event = deps.billing.port.verifyWebhook(input.payload, input.signature, secret);
  } catch (err) {
    if (!(err instanceof BillingError)) throw err;
    await recordWebhookFailure(deps, { provider: 'stripe', reason: 'Stripe-Signature invalid (billing webhook)' });
    throw new AppError('FORBIDDEN', 'Invalid Stripe signature');
  }
  const subscriptionId = subscriptionIdOf(event);
  const { alreadyApplied } = await deps.runInScope({ agencyId }, (tx) =>
    recordBillingEvent(tx, { agencyId, eventId: event.id, type: event.type, objectId: stringField(event.object, 'id') }));
  const receipt = { eventId: event.id, type: event.type };
  if (alreadyApplied) return { ...receipt, duplicate: true, outcome: 'stored' };
  const result = subscriptionId
    ? await syncStripeSubscription(deps, { agencyId, subscriptionId, tenantHint: stringField(event.object, 'client_reference_id'), origin: 'webhook', stripeEventId: event.id })
    : undefined;
  await deps.runInScope({ agencyId }, (tx) => markBillingEventApplied(tx, { eventId: event.id, tenantId: result?.tenantId ?? null }));
  return { ...receipt, duplicate: false, outcome: result?.outcome ?? 'stored' };
}

/** The agency's own signing secret; STRIPE_WEBHOOK_SECRET only for an agency billed on the installation's key. */
async function webhookSecretOf(deps: SubscriptionDeps, agencyId: string): Promise<string | undefined> {
  return deps.runInScope({ agencyId }, async (tx) => {
    if (!(await queryOne(tx, 'SELECT id FROM agencies WHERE id = :agencyId', { agencyId }))) return undefined;
    const settings = await findBillingSettings(tx, agencyId);
    if (settings?.stripeWebhookSecretCiphertext) return decryptSecret(deps.encryptionKey, settings.stripeWebhookSecretCiphertext);
    return settings?.stripeSecretCiphertext ? undefined : deps.billing.fallbackWebhookSecret;
  });
}

/** The subscription an event is about: the object itself, the Checkout's subscription, or the invoice's. */
export function subscriptionIdOf(event: BillingWebhookEvent): string | undefined {
  if (!(SUBSCRIPTION_WEBHOOK_EVENTS as readonly string[]).includes(event.type)) return undefined;
  const object = event.object;
  if (event.type.startsWith('customer.subscription.')) return stringField(object, 'id') ?? undefined;
  if (event.type === 'checkout.session.completed') return stringField(object, 'subscription') ?? undefined;
  const parent = object.parent as { subscription_details?: { subscription?: unknown } } | null | undefined;
  const fromParent = parent?.subscription_details?.subscription;
  return (typeof fromParent === 'string' ? fromParent : undefined) ?? stringField(object, 'subscription') ?? undefined;
}

function stringField(object: Record<string, unknown>, field: string): string | null {
  const value = object[field];
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') return (value as { id: string }).id;
  return null;
}

import { Router } from 'express';
import { z } from 'zod';
import { rawBodyOf } from '../../http/app.js';
import { AppError } from '../../http/errors.js';
import { countSignatureFailures } from '../../metrics/signature-failures.js';
import { toStorable } from '../../infra/storable-text.js';
import type { Logger } from '../../logger.js';
import { PaymentsError } from '../../ports/payments.js';
import type { EventBus } from '../../ports/events.js';
import { findTenant } from '../tenants/tenant-repository.js';
import { recordWebhookFailure } from '../system-health/record-webhook-failure.js';
import { findCredential } from '../provider-credentials/credential-repository.js';
import type { PaymentDeps } from './payment-deps.js';
import { recordPaymentEvent } from './record-payment-event.js';
import { openStripeSecrets } from './stripe-account.js';

export type StripeWebhookDeps = PaymentDeps & { events: EventBus; logger: Logger; fallbackWebhookSecret?: string };

const tenantParams = z.object({ agencyId: z.uuid(), tenantId: z.uuid() });

/**
 * POST /webhooks/stripe/:agencyId/:tenantId — the endpoint a tenant (or the agency, for tenants on its key) registers
 * in Stripe. The Stripe-Signature is checked against that tenant's webhook secret (or STRIPE_WEBHOOK_SECRET
 * when the tenant uses the agency key); anything that does not verify is 403 and stores nothing.
 */
export function stripeWebhookRouter(deps: StripeWebhookDeps): Router {
  const router = Router();
  router.post('/webhooks/stripe/:agencyId/:tenantId', async (req, res) => {
    const params = tenantParams.safeParse(req.params);
    const signature = req.get('stripe-signature');
    const payload = rawBodyOf(req);
    if (!params.success || !signature || !payload) throw new AppError('FORBIDDEN', 'Invalid Stripe webhook');
    const scope = params.data;
    // Row-level security: a tenant id that is not this agency's is simply not found.
    const found = await deps.runInScope(scope, async (tx) =>
      (await findTenant(tx, scope)) ? { row: await findCredential(tx, { tenantId: scope.tenantId, provider: 'stripe' }) } : undefined,
    );
    if (!found) throw new AppError('FORBIDDEN', 'Invalid Stripe webhook');
    const { row } = found;
    const secret = row ? openStripeSecrets(deps.encryptionKey, row).webhookSecret : deps.fallbackWebhookSecret;
    if (!secret) throw new AppError('FORBIDDEN', 'No Stripe webhook secret is configured for this tenant');
    let event;
    try {
      // Signed as sent; stored with NUL and lone surrogates replaced (PostgreSQL cannot store them).
      event = toStorable(deps.payments.verifyWebhook(payload, signature, secret));
    } catch (err) {
      if (err instanceof PaymentsError) {
        await recordWebhookFailure(deps, { provider: 'stripe', reason: 'Stripe-Signature invalid', scope });
        throw new AppError('FORBIDDEN', 'Invalid Stripe signature');
      }
      throw err;
    }
    const outcome = await recordPaymentEvent(deps, { ...scope, provider: deps.payments.provider, event });
    deps.logger.info({ tenantId: scope.tenantId, stripeEvent: event.type, paymentEvent: outcome.type, duplicate: outcome.duplicate }, 'stripe webhook');
    res.status(200).json({ received: true });
  });
  router.use(countSignatureFailures('stripe'));
  return router;
}

import { Router } from 'express';
import { z } from 'zod';
import { rawBodyOf } from '../../http/app.js';
import { AppError } from '../../http/errors.js';
import { countSignatureFailures } from '../../metrics/signature-failures.js';
import { receiveBillingWebhook } from './receive-billing-webhook.js';
import type { SubscriptionDeps } from './subscription-deps.js';

const agencyParams = z.object({ agencyId: z.uuid() });

/**
 * POST /webhooks/stripe-billing/:agencyId — the endpoint an agency registers in its own Stripe account for
 * its clients' subscriptions (public; the Stripe-Signature over the raw body is the credential).
 */
export function stripeBillingWebhookRouter(deps: SubscriptionDeps): Router {
  const router = Router();
  router.post('/webhooks/stripe-billing/:agencyId', async (req, res) => {
    const params = agencyParams.safeParse(req.params);
    const signature = req.get('stripe-signature');
    const payload = rawBodyOf(req);
    if (!params.success || !signature || !payload) throw new AppError('FORBIDDEN', 'Invalid Stripe webhook');
    const receipt = await receiveBillingWebhook(deps, { agencyId: params.data.agencyId, payload, signature });
    deps.logger?.info({ agencyId: params.data.agencyId, stripeEvent: receipt.type, outcome: receipt.outcome, duplicate: receipt.duplicate }, 'stripe billing webhook');
    res.status(200).json({ received: true });
  });
  router.use(countSignatureFailures('stripe'));
  return router;
}

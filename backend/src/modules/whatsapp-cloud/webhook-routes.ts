import { createHmac, timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { rawBodyOf } from '../../http/app.js';
import { AppError } from '../../http/errors.js';
import { countSignatureFailures } from '../../metrics/signature-failures.js';
import { toStorable } from '../../infra/storable-text.js';
import type { ProviderStatusUpdate } from '../messages/apply-provider-status.js';
import type { InboundMessage } from '../messages/receive-inbound.js';
import { findTenant } from '../tenants/tenant-repository.js';
import { recordWebhookFailure } from '../system-health/record-webhook-failure.js';
import { findCloudAccount, type CloudAccount } from './cloud-account.js';
import { cloudDelivery, type CloudValue } from './cloud-delivery.js';

export type CloudWebhookDeps = ScopedDeps & {
  encryptionKey: Buffer;
  acceptInbound: (inbound: InboundMessage) => Promise<unknown>;
  applyProviderStatus: (update: ProviderStatusUpdate) => Promise<unknown>;
};

const pathParams = z.object({ agencyId: z.uuid(), tenantId: z.uuid() });
const delivery = z.object({ object: z.string(), entry: z.array(z.object({ changes: z.array(z.object({ value: z.record(z.string(), z.unknown()) })) })) });

/** X-Hub-Signature-256: "sha256=" + HMAC-SHA256 of the raw body with the app secret, compared in constant time. */
export function verifiesMetaSignature(appSecret: string, payload: Buffer, header: string | undefined): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', appSecret).update(payload).digest('hex')}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The webhook URL a tenant gives Meta: /webhooks/whatsapp-cloud/<agency id>/<tenant id>. GET is Meta's
 * subscription handshake (hub.verify_token must be the tenant's verify token; hub.challenge is echoed);
 * POST deliveries must carry a valid X-Hub-Signature-256 or get 403 with nothing stored.
 */
export function whatsappCloudWebhookRouter(deps: CloudWebhookDeps): Router {
  const router = Router();
  const accountFor = async (req: Request): Promise<{ scope: { agencyId: string; tenantId: string }; account: CloudAccount }> => {
    const params = pathParams.safeParse(req.params);
    if (!params.success) throw new AppError('FORBIDDEN', 'Invalid WhatsApp webhook');
    const scope = params.data;
    const account = await deps.runInScope(scope, async (tx) => ((await findTenant(tx, scope)) ? findCloudAccount(tx, deps.encryptionKey, scope.tenantId) : undefined));
    if (!account) throw new AppError('FORBIDDEN', 'Invalid WhatsApp webhook');
    return { scope, account };
  };

  router.get('/webhooks/whatsapp-cloud/:agencyId/:tenantId', async (req, res) => {
    const { account } = await accountFor(req);
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string' || !sameText(token, account.verifyToken)) {
      throw new AppError('FORBIDDEN', 'WhatsApp webhook verification failed: the verify token does not match');
    }
    res.status(200).type('text/plain').send(challenge);
  });

  router.post('/webhooks/whatsapp-cloud/:agencyId/:tenantId', async (req, res) => {
    const { scope, account } = await accountFor(req);
    const payload = rawBodyOf(req);
    if (!payload || !verifiesMetaSignature(account.appSecret, payload, req.get('x-hub-signature-256'))) {
      await recordWebhookFailure(deps, { provider: 'whatsapp-cloud', reason: 'X-Hub-Signature-256 missing or invalid', scope });
      throw new AppError('FORBIDDEN', 'Invalid X-Hub-Signature-256');
    }
    // Signed as sent; stored with NUL and lone surrogates replaced (PostgreSQL cannot store them).
    const parsed = delivery.safeParse(toStorable(req.body));
    if (!parsed.success || parsed.data.object !== 'whatsapp_business_account') throw new AppError('VALIDATION_FAILED', 'Not a WhatsApp Business Account delivery');
    for (const entry of parsed.data.entry) {
      for (const change of entry.changes) {
        const { inbound, statuses } = cloudDelivery(change.value as CloudValue, { ...scope, account, receivedAt: new Date() });
        for (const message of inbound) await deps.acceptInbound(message);
        for (const status of statuses) await deps.applyProviderStatus(status);
      }
    }
    res.status(200).json({ received: true });
  });
  router.use(countSignatureFailures('whatsapp-cloud'));
  return router;
}

function sameText(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

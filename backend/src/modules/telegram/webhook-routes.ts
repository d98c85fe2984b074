import { timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import { countSignatureFailures } from '../../metrics/signature-failures.js';
import { toStorable } from '../../infra/storable-text.js';
import type { TelegramUpdate } from '../../adapters/messaging/telegram-bot-admin.js';
import type { InboundMessage } from '../messages/receive-inbound.js';
import { findTenant } from '../tenants/tenant-repository.js';
import { recordWebhookFailure } from '../system-health/record-webhook-failure.js';
import { findTelegramBot } from './telegram-account.js';
import { inboundFromUpdate, linkDeepLinkedContact } from './telegram-inbound.js';

export type TelegramWebhookDeps = ScopedDeps & { encryptionKey: Buffer; acceptInbound: (inbound: InboundMessage) => Promise<unknown> };

const pathParams = z.object({ agencyId: z.uuid(), tenantId: z.uuid() });
const update = z.looseObject({
  update_id: z.number().int(),
  message: z.looseObject({ message_id: z.number().int(), date: z.number().optional(), text: z.string().optional(), chat: z.looseObject({ id: z.number() }) }).optional(),
});

function sameSecret(given: string | undefined, expected: string): boolean {
  const [a, b] = [Buffer.from(given ?? ''), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A Telegram update for one tenant's bot, signature checked: queued as an inbound message (deep links linked first). */
export async function acceptTelegramUpdate(deps: TelegramWebhookDeps, input: { agencyId: string; tenantId: string; botId: string; update: TelegramUpdate }): Promise<void> {
  // Webhook and long polling alike: NUL and lone surrogates replaced before anything is stored.
  const inbound = inboundFromUpdate(toStorable(input.update), { ...input, receivedAt: new Date() });
  if (!inbound) return;
  await linkDeepLinkedContact(deps, inbound);
  await deps.acceptInbound(inbound);
}

/**
 * POST /webhooks/telegram/<agency id>/<tenant id>: the URL given to setWebhook when the bot was connected.
 * Telegram echoes the secret_token we chose in X-Telegram-Bot-Api-Secret-Token; anything else is 403 and
 * stores nothing.
 */
export function telegramWebhookRouter(deps: TelegramWebhookDeps): Router {
  const router = Router();
  router.post('/webhooks/telegram/:agencyId/:tenantId', async (req, res) => {
    const params = pathParams.safeParse(req.params);
    if (!params.success) throw new AppError('FORBIDDEN', 'Invalid Telegram webhook');
    const scope = params.data;
    const bot = await deps.runInScope(scope, async (tx) => ((await findTenant(tx, scope)) ? findTelegramBot(tx, deps.encryptionKey, scope.tenantId) : undefined));
    if (!bot || !sameSecret(req.get('x-telegram-bot-api-secret-token'), bot.secretToken)) {
      await recordWebhookFailure(deps, { provider: 'telegram', reason: bot ? 'secret token invalid' : 'no bot connected for this address', scope: bot && scope });
      throw new AppError('FORBIDDEN', 'Invalid Telegram secret token');
    }
    const parsed = update.safeParse(req.body);
    if (!parsed.success) throw new AppError('VALIDATION_FAILED', 'Not a Telegram update');
    await acceptTelegramUpdate(deps, { ...scope, botId: bot.botId, update: parsed.data as TelegramUpdate });
    res.status(200).json({ ok: true });
  });
  router.use(countSignatureFailures('telegram'));
  return router;
}

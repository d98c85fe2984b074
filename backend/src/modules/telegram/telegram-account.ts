import { randomBytes } from 'node:crypto';
import type { Transaction } from 'sequelize';
import { z } from 'zod';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError, providerError, providerUnreachable } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { decryptSecret, encryptSecret } from '../../infra/crypto.js';
import { TelegramCallError, type TelegramBotAdmin } from '../../adapters/messaging/telegram-bot-admin.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { assertEntitledBefore } from '../entitlements/check-entitlement.js';
import { deleteCredential, findCredential, upsertCredential, type CredentialRow } from '../provider-credentials/credential-repository.js';

// A tenant's Telegram bot: its token and the secret Telegram echoes on every webhook call, encrypted
// together; the bot id and username, how updates arrive and the long-polling offset in plain metadata.
const secrets = z.object({ botToken: z.string(), secretToken: z.string() });
const metadata = z.object({ botId: z.string(), username: z.string(), updates: z.enum(['webhook', 'polling']), pollOffset: z.number().int().default(0) });
export type TelegramBot = z.infer<typeof secrets> & z.infer<typeof metadata>;
export type TelegramBotView = { provider: 'telegram'; botId: string; username: string; updates: 'webhook' | 'polling'; updatedAt: string };
export type TelegramDeps = ScopedDeps & { encryptionKey: Buffer; admin: TelegramBotAdmin; publicUrl: string; updates: 'webhook' | 'polling' };

export function openTelegramBot(key: Buffer, row: CredentialRow): TelegramBot {
  return { ...secrets.parse(JSON.parse(decryptSecret(key, row.secretCiphertext))), ...metadata.parse(row.metadata) };
}

export async function findTelegramBot(tx: Transaction, key: Buffer, tenantId: string): Promise<TelegramBot | undefined> {
  const row = await findCredential(tx, { tenantId, provider: 'telegram' });
  return row && openTelegramBot(key, row);
}

const scopeOf = (actor: Actor) => ({ agencyId: actor.principal.agencyId, tenantId: actor.principal.tenantId! });
const view = (row: CredentialRow): TelegramBotView => {
  const meta = metadata.parse(row.metadata);
  return { provider: 'telegram', botId: meta.botId, username: meta.username, updates: meta.updates, updatedAt: row.updatedAt };
};

/** A failed call to Telegram while connecting: 503 when it could not be reached, 502 when it answered with an error. */
function telegramFailed(action: string) {
  return (err: unknown): never => {
    if (!(err instanceof TelegramCallError)) throw err;
    if (err.kind === 'unreachable') throw providerUnreachable('telegram', `Telegram could not be reached to ${action}; try again in a moment (${err.message})`);
    throw providerError('telegram', `Telegram answered with an error when asked to ${action}: ${err.message}`, err.details);
  };
}

/**
 * Connects the tenant's bot: Telegram must accept the token (getMe); then updates are routed to us, by a
 * webhook with a fresh secret token (public HTTPS installs) or by the worker's long polling. Audited
 * without the token.
 */
export async function connectTelegramBot(deps: TelegramDeps, input: { actor: Actor; botToken: string }): Promise<TelegramBotView> {
  const scope = scopeOf(input.actor);
  await assertEntitledBefore(deps, scope, { kind: 'channel.enable', channel: 'telegram' });
  const bot = await deps.admin.identify(input.botToken).catch(telegramFailed('check the bot token'));
  if (!bot) throw new AppError('VALIDATION_FAILED', 'Telegram refused this bot token (check it with @BotFather)', [{ path: 'body.botToken', message: 'Telegram does not know this token' }]);
  const secretToken = randomBytes(24).toString('base64url');
  if (deps.updates === 'webhook') {
    const url = `${deps.publicUrl.replace(/\/+$/, '')}/webhooks/telegram/${scope.agencyId}/${scope.tenantId}`;
    await deps.admin.useWebhook(input.botToken, url, secretToken).catch(telegramFailed('deliver updates to our webhook'));
  } else {
    await deps.admin.useLongPolling(input.botToken).catch(telegramFailed('switch the bot to long polling'));
  }
  const meta = { botId: bot.id, username: bot.username, updates: deps.updates, pollOffset: 0 };
  return deps.runInScope(scope, async (tx) => {
    const before = await findCredential(tx, { tenantId: scope.tenantId, provider: 'telegram', forUpdate: true });
    const row = await upsertCredential(tx, {
      ...scope, provider: 'telegram', metadata: meta, secretCiphertext: encryptSecret(deps.encryptionKey, JSON.stringify({ botToken: input.botToken, secretToken })),
    });
    await recordAuditEvent(tx, {
      ...scope, ...auditOrigin(input.actor), action: before ? 'provider_account.updated' : 'provider_account.connected',
      target: { type: 'provider_account', id: 'telegram' }, after: { provider: 'telegram', botId: bot.id, username: bot.username, updates: deps.updates },
    });
    return view(row);
  });
}

export async function getTelegramBot(deps: TelegramDeps, input: { actor: Actor }): Promise<TelegramBotView> {
  const scope = scopeOf(input.actor);
  const row = await deps.runInScope(scope, (tx) => findCredential(tx, { tenantId: scope.tenantId, provider: 'telegram' }));
  if (!row) throw new AppError('NOT_FOUND', 'No Telegram bot is connected');
  return view(row);
}

export async function disconnectTelegramBot(deps: TelegramDeps, input: { actor: Actor }): Promise<void> {
  const scope = scopeOf(input.actor);
  const bot = await deps.runInScope(scope, (tx) => findTelegramBot(tx, deps.encryptionKey, scope.tenantId));
  if (!bot) throw new AppError('NOT_FOUND', 'No Telegram bot is connected');
  // Best effort: the bot may have been revoked already; it must still disappear here.
  await deps.admin.useLongPolling(bot.botToken).catch(() => undefined);
  await deps.runInScope(scope, async (tx) => {
    await deleteCredential(tx, { tenantId: scope.tenantId, provider: 'telegram' });
    await recordAuditEvent(tx, { ...scope, ...auditOrigin(input.actor), action: 'provider_account.disconnected', target: { type: 'provider_account', id: 'telegram' } });
  });
}

import type { ScopedDeps } from '../../db/scoped-deps.js';
import { queryRows } from '../../db/sql.js';
import type { TelegramUpdate } from '../../adapters/messaging/telegram-bot-admin.js';
import type { InboundMessage } from '../messages/receive-inbound.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const START = /^\/start(?:@\w+)?(?:\s+(\S+))?\s*$/i;

/**
 * One Telegram update as an inbound message. `/start <payload>` (a deep link t.me/<bot>?start=<payload>)
 * becomes the START keyword (the person pressed Start: they opted in on Telegram) with the payload kept in
 * `raw.startPayload`; `/stop` is the STOP keyword. Updates without a message (edits, joins) give nothing.
 */
export function inboundFromUpdate(update: TelegramUpdate, input: { agencyId: string; tenantId: string; botId: string; receivedAt: Date }): InboundMessage | undefined {
  const message = update.message;
  if (!message) return undefined;
  const start = message.text ? START.exec(message.text.trim()) : null;
  return {
    agencyId: input.agencyId, tenantId: input.tenantId, channel: 'telegram', from: String(message.chat.id), to: input.botId,
    body: start ? '/start' : (message.text ?? null), providerMessageId: `${message.chat.id}:${message.message_id}`, provider: 'telegram',
    receivedAt: message.date ? new Date(message.date * 1000) : input.receivedAt,
    raw: { updateId: update.update_id, chat: message.chat, ...(start?.[1] && { startPayload: start[1] }) },
  };
}

/**
 * A deep link made for a known contact (payload `c_<contact id>`) links this chat to that contact, so the
 * conversation joins their history instead of creating a new contact. Any other payload (a campaign) is
 * only kept on the message. A contact already linked to another chat keeps it.
 */
export async function linkDeepLinkedContact(deps: ScopedDeps, inbound: InboundMessage): Promise<boolean> {
  const payload = (inbound.raw as { startPayload?: string } | undefined)?.startPayload;
  const contactId = payload?.startsWith('c_') ? payload.slice(2) : undefined;
  if (!contactId || !UUID.test(contactId)) return false;
  const scope = { agencyId: inbound.agencyId, tenantId: inbound.tenantId };
  const rows = await deps.runInScope(scope, (tx) =>
    queryRows(
      tx,
      `UPDATE contacts SET telegram_chat_id = :chatId, updated_at = now()
       WHERE tenant_id = :tenantId AND id = :contactId AND telegram_chat_id IS NULL
         AND NOT EXISTS (SELECT 1 FROM contacts other WHERE other.tenant_id = :tenantId AND other.telegram_chat_id = :chatId)
       RETURNING id`,
      { tenantId: scope.tenantId, contactId, chatId: inbound.from },
    ),
  );
  return rows.length > 0;
}

import type { Transaction } from 'sequelize';
import { isUniqueViolation } from '../../db/sql.js';
import { AppError } from '../../http/errors.js';
import { toStorable } from '../../infra/storable-text.js';
import { CHANNELS, type Channel } from '../../ports/messaging.js';
import { consentFor } from '../consent/consent-state.js';
import { detectKeyword, isAmbiguousOptIn, type DetectedKeyword } from '../consent/detect-keyword.js';
import { recordConsent } from '../consent/record-consent.js';
import { contactForPhone, defaultCountryFor } from '../contacts/contact-addresses.js';
import { findContact, findContactByAddress, insertContactByAddress, updateContact, type Contact } from '../contacts/contact-repository.js';
import { complianceTexts, findMessagingSettings } from '../policy/messaging-settings.js';
import type { SendPurpose } from '../policy/policy-types.js';
import { findTenant } from '../tenants/tenant-repository.js';
import { conversationFor, touchConversation } from './conversation-repository.js';
import { findMessageByProviderId, insertMessage } from './message-repository.js';
import type { Message } from './message-types.js';
import type { MessagingDeps, TenantScope } from './messaging-deps.js';
import { sendInTransaction } from './request-send.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type InboundMessage = TenantScope & {
  channel: Channel;
  /** Sender address on the channel: E.164 for sms/whatsapp (adapters strip "whatsapp:"), chat id for telegram. */
  from: string;
  to: string;
  body: string | null;
  providerMessageId: string;
  provider: string;
  receivedAt: Date;
  raw?: unknown;
};

export type InboundOutcome = { message: Message; duplicate: boolean; keyword?: DetectedKeyword; replies: Message[] };

/**
 * Stores a message a contact sent us, once (providers retry webhooks: the provider message id dedupes),
 * handles compliance keywords (STOP/START/HELP: consent recorded, one confirmation per change) and
 * publishes message.received for the agent runtime and n8n.
 */
export async function receiveInbound(deps: MessagingDeps, received: InboundMessage): Promise<InboundOutcome> {
  // Every channel ends here (webhook queue, linked device, long polling, web chat): a NUL or lone surrogate
  // from a provider is replaced, never a reason to refuse or park the message (infra/storable-text.ts).
  const inbound = toStorable(received);
  const scope = { agencyId: inbound.agencyId, tenantId: inbound.tenantId };
  const existing = (tx: Transaction) =>
    findMessageByProviderId(tx, { tenantId: scope.tenantId, provider: inbound.provider, providerMessageId: inbound.providerMessageId });
  try {
    // A retried webhook is found inside the insert's own transaction: one transaction per new message, not two.
    return await deps.runInScope(scope, async (tx) => {
      const earlier = await existing(tx);
      if (earlier) return { message: earlier, duplicate: true, replies: [] };
      return receiveInTransaction(tx, deps, scope, inbound);
    });
  } catch (err) {
    const raced = isUniqueViolation(err) ? await deps.runInScope(scope, existing) : undefined;
    if (raced) return { message: raced, duplicate: true, replies: [] };
    throw err;
  }
}

async function receiveInTransaction(tx: Transaction, deps: MessagingDeps, scope: TenantScope, inbound: InboundMessage): Promise<InboundOutcome> {
  const found = await senderContact(tx, scope, inbound);
  const contact = (await findContact(tx, { tenantId: scope.tenantId, contactId: found.id, forUpdate: true }))!;
  const conversation = await conversationFor(tx, { ...scope, contactId: contact.id, channel: inbound.channel });
  const message = await insertMessage(tx, {
    ...scope,
    conversationId: conversation.id,
    contactId: contact.id,
    direction: 'inbound',
    channel: inbound.channel,
    from: inbound.from,
    to: inbound.to,
    body: inbound.body ?? '',
    template: null,
    purpose: 'message',
    source: 'contact',
    status: 'received',
    policy: null,
    idempotencyKey: null,
    provider: inbound.provider,
    providerMessageId: inbound.providerMessageId,
    at: inbound.receivedAt,
  });
  await touchConversation(tx, { tenantId: scope.tenantId, conversationId: conversation.id, at: inbound.receivedAt, inbound: true });
  const keyword = await complianceKeyword(tx, scope, contact, inbound);
  const replies = keyword ? await handleKeyword(tx, deps, scope, { contact, message, keyword, inbound }) : [];
  await deps.events.publish(
    {
      type: 'message.received',
      ...scope,
      data: {
        messageId: message.id, conversationId: conversation.id, contactId: contact.id, channel: inbound.channel,
        from: inbound.from, to: inbound.to, body: message.body, receivedAt: inbound.receivedAt.toISOString(),
        // Consumers (the agent) should not answer a compliance keyword: the system already did.
        keyword: keyword ?? null,
      },
    },
    { transaction: tx },
  );
  return { message, duplicate: false, keyword, replies };
}

/** The contact behind the sender address, created on first contact. */
async function senderContact(tx: Transaction, scope: TenantScope, inbound: InboundMessage): Promise<Contact> {
  if (inbound.channel === 'web') {
    // Web chat visitors are contacts already: the widget sends their contact id.
    const known = UUID.test(inbound.from) ? await findContact(tx, { tenantId: scope.tenantId, contactId: inbound.from }) : undefined;
    if (!known) throw new AppError('NOT_FOUND', 'Unknown web chat contact');
    return known;
  }
  if (inbound.channel === 'telegram') {
    const column = 'telegram_chat_id';
    return (await findContactByAddress(tx, { tenantId: scope.tenantId, column, value: inbound.from }))
      ?? insertContactByAddress(tx, { ...scope, column, value: inbound.from });
  }
  const settings = await findMessagingSettings(tx, scope);
  const defaultCountry = defaultCountryFor(settings, await findTenant(tx, scope));
  const { contact } = await contactForPhone(tx, { ...scope, phone: inbound.from, defaultCountry, field: 'from' });
  if (inbound.channel === 'whatsapp' && !contact.whatsappId) {
    return (await updateContact(tx, { tenantId: scope.tenantId, contactId: contact.id, patch: { whatsappId: contact.phone } }))!;
  }
  return contact;
}

/** The keyword the message is, unless it is a bare "yes" from someone who never opted out (an answer, not a keyword). */
async function complianceKeyword(tx: Transaction, scope: TenantScope, contact: Contact, inbound: InboundMessage): Promise<DetectedKeyword | undefined> {
  const keyword = detectKeyword(inbound.body);
  if (!keyword || !isAmbiguousOptIn(keyword)) return keyword;
  const consent = await consentFor(tx, { tenantId: scope.tenantId, contactId: contact.id, channel: inbound.channel });
  return consent === 'opted_out' ? keyword : undefined;
}

async function handleKeyword(
  tx: Transaction,
  deps: MessagingDeps,
  scope: TenantScope,
  input: { contact: Contact; message: Message; keyword: DetectedKeyword; inbound: InboundMessage },
): Promise<Message[]> {
  const { contact, message, keyword, inbound } = input;
  const tenant = await findTenant(tx, scope);
  const texts = complianceTexts(await findMessagingSettings(tx, scope), tenant?.name ?? 'This business');
  const reply = async (purpose: SendPurpose, body: string) =>
    (await sendInTransaction(tx, deps, scope, { contactId: contact.id, channel: inbound.channel, body, purpose, source: 'system', idempotencyKey: `${purpose}:${message.id}`, provider: inbound.provider })).message;
  if (keyword.intent === 'help') return [await reply('help_reply', texts.help)];
  const kind = keyword.intent === 'opt_in' ? 'opt_in' : 'opt_out';
  const channels = keyword.intent === 'opt_out_all' ? CHANNELS : [inbound.channel];
  let changedHere = false;
  for (const channel of channels) {
    const { changed } = await recordConsent(tx, deps.events, {
      ...scope,
      contactId: contact.id,
      channel,
      kind,
      source: 'keyword',
      keyword: keyword.keyword,
      wording: inbound.body,
      evidence: { provider: inbound.provider, providerMessageId: inbound.providerMessageId, receivedOn: inbound.channel },
      messageId: message.id,
      occurredAt: inbound.receivedAt,
      origin: { actor: { type: 'system', id: `keyword:${inbound.provider}` } },
    });
    if (channel === inbound.channel) changedHere = changed;
  }
  // One confirmation per change; a second STOP from someone already opted out gets silence.
  if (!changedHere) return [];
  return [await reply(kind === 'opt_in' ? 'opt_in_confirmation' : 'opt_out_confirmation', kind === 'opt_in' ? texts.optInConfirmation : texts.optOutConfirmation)];
}

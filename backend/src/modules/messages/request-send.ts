import { randomUUID } from 'node:crypto';
import type { Transaction } from 'sequelize';
import { isUniqueViolation } from '../../db/sql.js';
import { AppError } from '../../http/errors.js';
import type { Channel } from '../../ports/messaging.js';
import { addressFor, contactForPhone, defaultCountryFor } from '../contacts/contact-addresses.js';
import { findContact } from '../contacts/contact-repository.js';
import { findMessagingSettings } from '../policy/messaging-settings.js';
import type { PolicyResult, SendPurpose } from '../policy/policy-types.js';
import { providerForSend } from '../policy/whatsapp-transport.js';
import { findTenant } from '../tenants/tenant-repository.js';
import { conversationFor, touchConversation } from './conversation-repository.js';
import { findMessageByIdempotencyKey, insertMessage } from './message-repository.js';
import type { Message, MessageStatus, MessageTemplate } from './message-types.js';
import { clockOf, type MessagingDeps, type TenantScope } from './messaging-deps.js';
import { publishStatus } from './publish-status.js';
import { decideSend } from './send-context.js';

export type SendRequest = {
  /** Exactly one of contactId and to (a phone number, for sms/whatsapp). */
  contactId?: string;
  to?: string;
  channel: Channel;
  body?: string;
  template?: MessageTemplate;
  /** Same key, same message: a retried request never sends twice. */
  idempotencyKey?: string;
  /** Who asked: api, agent, automation, system. */
  source: string;
  purpose?: SendPurpose;
  /** The transport to send with (a reply to an inbound message uses the one it came in on); default: the tenant's choice. */
  provider?: string;
};

export type SendOutcome = { message: Message; decision: PolicyResult; created: boolean };

const STATUS_FOR: Record<PolicyResult['decision'], MessageStatus> = { allow: 'queued', defer: 'deferred', deny: 'denied' };

function replay(message: Message): SendOutcome {
  const p = message.policy!;
  const decision = { decision: p.decision, reason: p.reason, ...(p.until && { until: new Date(p.until) }), ...(p.evidence && { evidence: { ...p.evidence, at: new Date(p.evidence.at) } }) };
  return { message, decision, created: false };
}

/**
 * Asks to send a message. The policy decides (allow / defer / deny); the message row, with the decision
 * and its reason, and the outbox row that makes the pipeline send it commit in ONE transaction. A denied
 * message is stored (the reason is the record) but never enqueued.
 */
export async function requestSend(deps: MessagingDeps, scope: TenantScope, request: SendRequest): Promise<SendOutcome> {
  try {
    return await deps.runInScope(scope, (tx) => sendInTransaction(tx, deps, scope, request));
  } catch (err) {
    // Two requests with the same key raced past the check: the loser returns the winner's message.
    if (request.idempotencyKey && isUniqueViolation(err)) {
      const existing = await deps.runInScope(scope, (tx) => findMessageByIdempotencyKey(tx, { tenantId: scope.tenantId, idempotencyKey: request.idempotencyKey! }));
      if (existing) return replay(existing);
    }
    throw err;
  }
}

/** requestSend inside an open tenant-scoped transaction (inbound keyword replies use it). */
export async function sendInTransaction(tx: Transaction, deps: MessagingDeps, scope: TenantScope, request: SendRequest): Promise<SendOutcome> {
  const now = clockOf(deps);
  const tenant = await findTenant(tx, scope);
  const settings = await findMessagingSettings(tx, scope);
  const found = request.contactId
    ? await findContact(tx, { tenantId: scope.tenantId, contactId: request.contactId })
    : (await contactForPhone(tx, { ...scope, phone: request.to!, defaultCountry: defaultCountryFor(settings, tenant), field: 'body.to' })).contact;
  if (!found) throw new AppError('NOT_FOUND', 'Contact not found');
  // One send at a time per contact: the frequency cap and the idempotency check see every earlier send.
  const contact = (await findContact(tx, { tenantId: scope.tenantId, contactId: found.id, forUpdate: true }))!;
  if (request.idempotencyKey) {
    const existing = await findMessageByIdempotencyKey(tx, { tenantId: scope.tenantId, idempotencyKey: request.idempotencyKey });
    if (existing) return replay(existing);
  }
  const to = addressFor(contact, request.channel);
  if (!to) {
    throw new AppError('VALIDATION_FAILED', 'The request is not valid', [
      { path: 'body.channel', message: `the contact has no ${request.channel} address`, code: 'no_address' },
    ]);
  }
  const purpose = request.purpose ?? 'message';
  const provider = request.provider ?? providerForSend(request.channel, settings);
  const decision = await decideSend(tx, deps, { scope, contact, channel: request.channel, purpose, now, template: request.template?.name, settings, tenant, provider });
  const conversation = await conversationFor(tx, { ...scope, contactId: contact.id, channel: request.channel });
  const message = await insertMessage(tx, {
    ...scope,
    conversationId: conversation.id,
    contactId: contact.id,
    direction: 'outbound',
    channel: request.channel,
    from: null, // the sender identity is the channel's (chosen by the pipeline from the tenant's credentials)
    to,
    body: request.body ?? null,
    template: request.template ?? null,
    purpose,
    source: request.source,
    status: STATUS_FOR[decision.decision],
    policy: decision,
    idempotencyKey: request.idempotencyKey ?? `auto:${randomUUID()}`,
    provider,
    providerMessageId: null,
    at: now,
  });
  if (decision.decision !== 'deny') {
    await deps.enqueueOutbox(tx, { messageId: message.id, tenantId: scope.tenantId, channel: request.channel, availableAt: decision.until ?? now });
  }
  await touchConversation(tx, { tenantId: scope.tenantId, conversationId: conversation.id, at: now, inbound: false });
  await publishStatus(tx, deps, scope, message, null);
  return { message, decision, created: true };
}

import { randomUUID } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { DomainEvent, EventBus } from '../../src/ports/events.js';

// Test-data mother for the messaging domain: contacts, conversations and messages written beneath
// row-level security (superuser), plus an in-memory event bus.
export type TenantTarget = { agencyId: string; tenantId: string };

let counter = Math.floor(Math.random() * 9_000_000);
/** A fresh, valid US number (+1 415 555 01xx style: the 555 exchange in a real area code). */
export function freshPhone(): string {
  counter += 1;
  return `+1415${String(2_000_000 + (counter % 7_000_000)).padStart(7, '0')}`;
}

async function one<T extends object>(db: Sequelize, sql: string, replacements: Record<string, unknown>): Promise<T> {
  return (await db.query<T>(sql, { replacements, type: QueryTypes.SELECT }))[0]!;
}

export async function insertContact(db: Sequelize, t: TenantTarget, input: { phone?: string; name?: string } = {}): Promise<{ id: string; phone: string }> {
  const phone = input.phone ?? freshPhone();
  const row = await one<{ id: string }>(
    db,
    `INSERT INTO contacts (agency_id, tenant_id, phone, name, time_zone, time_zone_source) VALUES (:agencyId, :tenantId, :phone, :name, 'America/Los_Angeles', 'inferred') RETURNING id`,
    { ...t, phone, name: input.name ?? 'Matrix Lead' },
  );
  return { id: row.id, phone };
}

/** A contact with a conversation holding one outbound message (status as given). */
export async function insertConversationMessage(
  db: Sequelize,
  t: TenantTarget,
  input: { status?: string } = {},
): Promise<{ contactId: string; conversationId: string; messageId: string }> {
  const contact = await insertContact(db, t);
  const conversation = await one<{ id: string }>(
    db,
    `INSERT INTO conversations (agency_id, tenant_id, contact_id, channel, last_message_at) VALUES (:agencyId, :tenantId, :contactId, 'sms', now()) RETURNING id`,
    { ...t, contactId: contact.id },
  );
  const message = await one<{ id: string }>(
    db,
    `INSERT INTO messages (agency_id, tenant_id, conversation_id, contact_id, direction, channel, to_address, body, source, status,
       policy_decision, policy_reason, policy_reason_text, idempotency_key, queued_at)
     VALUES (:agencyId, :tenantId, :conversationId, :contactId, 'outbound', 'sms', :to, 'Your appointment is confirmed', 'api', :status,
       'allow', 'ALLOWED', 'Allowed', :key, now()) RETURNING id`,
    { ...t, conversationId: conversation.id, contactId: contact.id, to: contact.phone, status: input.status ?? 'queued', key: `world:${randomUUID()}` },
  );
  return { contactId: contact.id, conversationId: conversation.id, messageId: message.id };
}

/** Every messaging id of a tenant: the cross-tenant matrix checks none of them leaks. */
export async function messagingIdsOf(db: Sequelize, tenantId: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT id::text FROM contacts WHERE tenant_id = :t UNION ALL SELECT id::text FROM conversations WHERE tenant_id = :t
     UNION ALL SELECT id::text FROM messages WHERE tenant_id = :t UNION ALL SELECT id::text FROM consent_events WHERE tenant_id = :t`,
    { replacements: { t: tenantId }, type: QueryTypes.SELECT },
  );
  return rows.map((row) => row.id);
}

/** An EventBus that remembers what was published (and ignores the transaction). */
export class InMemoryEventBus implements EventBus {
  readonly events: DomainEvent[] = [];
  async publish(event: Omit<DomainEvent, 'id' | 'occurredAt'>): Promise<DomainEvent> {
    const stored = { ...event, id: randomUUID(), occurredAt: new Date().toISOString() };
    this.events.push(stored);
    return stored;
  }
  ofType(type: string): DomainEvent[] {
    return this.events.filter((e) => e.type === type);
  }
}

export const DEFAULT_SETTINGS_BODY = {
  defaultCountry: 'US',
  sendingWindow: { start: '08:00', end: '21:00' },
  optInRequired: { sms: true, whatsapp: true, telegram: false, web: false },
  frequencyCap: { count: 5, hours: 24 },
  replyWindowHours: 24,
  helpText: 'Matrix Dental: reply STOP to unsubscribe.',
  optOutConfirmationText: null,
  optInConfirmationText: null,
};

import type { Transaction } from 'sequelize';
import { queryRows } from '../../db/sql.js';

// Everything Switchboard holds about one contact, table by table (GDPR access and erasure work from this list).
type Where = { tenantId: string; contactId: string };

export async function contactDataSets(tx: Transaction, where: Where) {
  const rows = <T>(sql: string) => queryRows<T>(tx, sql, where);
  return {
    consent: await rows(`SELECT channel, kind, source, wording, evidence, keyword, occurred_at AS "occurredAt" FROM consent_events
      WHERE tenant_id = :tenantId AND contact_id = :contactId ORDER BY seq`),
    conversations: await rows(`SELECT id, channel, created_at AS "createdAt", last_message_at AS "lastMessageAt" FROM conversations
      WHERE tenant_id = :tenantId AND contact_id = :contactId ORDER BY created_at`),
    messages: await rows(`SELECT id, conversation_id AS "conversationId", direction, channel, from_address AS "from", to_address AS "to", body, template,
      status, source, created_at AS "createdAt" FROM messages WHERE tenant_id = :tenantId AND contact_id = :contactId ORDER BY seq`),
    calls: await rows(`SELECT c.id, c.direction, c.from_number AS "from", c.to_number AS "to", c.status, c.outcome, c.duration_seconds AS "durationSeconds",
      c.created_at AS "createdAt" FROM call_logs c JOIN contacts k ON k.id = :contactId AND k.tenant_id = c.tenant_id
      WHERE c.tenant_id = :tenantId AND k.phone IS NOT NULL AND (c.from_number = k.phone OR c.to_number = k.phone) ORDER BY c.created_at`),
    bookings: await rows(`SELECT id, service_id AS "serviceId", starts_at AS "start", ends_at AS "end", status, notes, source, created_at AS "createdAt"
      FROM bookings WHERE tenant_id = :tenantId AND contact_id = :contactId ORDER BY starts_at`),
    notes: await rows(`SELECT id, body, author_type AS "authorType", created_at AS "createdAt" FROM contact_notes
      WHERE tenant_id = :tenantId AND contact_id = :contactId ORDER BY created_at`),
    activities: await rows(`SELECT id, type, data, occurred_at AS "occurredAt" FROM contact_activities
      WHERE tenant_id = :tenantId AND contact_id = :contactId ORDER BY occurred_at`),
    paymentLinks: await rows(`SELECT id, url, amount, currency, description, active, created_at AS "createdAt" FROM payment_links
      WHERE tenant_id = :tenantId AND contact_id = :contactId ORDER BY created_at`),
  };
}

/**
 * Erasure: personal data blanked everywhere it is kept. What stays is what the law asks us to keep: the
 * consent ledger (append-only by design: it is the evidence of each opt-in and opt-out, with the wording
 * shown) and, only for a contact who opted out, the address it applies to, so the opt-out is still honoured.
 */
export async function eraseContactData(tx: Transaction, where: Where & { keepAddresses: boolean }): Promise<void> {
  const run = (sql: string) => queryRows(tx, sql, where);
  await run(`UPDATE call_logs c SET from_number = CASE WHEN c.from_number = k.phone THEN '[erased]' ELSE c.from_number END,
      to_number = CASE WHEN c.to_number = k.phone THEN '[erased]' ELSE c.to_number END, spoken_message = NULL
    FROM contacts k WHERE k.id = :contactId AND c.tenant_id = :tenantId AND k.phone IS NOT NULL AND (c.from_number = k.phone OR c.to_number = k.phone)`);
  await run(`UPDATE messages SET body = CASE WHEN body IS NULL THEN NULL ELSE '[erased]' END, template = NULL,
      from_address = CASE WHEN direction = 'inbound' THEN '[erased]' ELSE from_address END,
      to_address = CASE WHEN direction = 'outbound' THEN '[erased]' ELSE to_address END
    WHERE tenant_id = :tenantId AND contact_id = :contactId`);
  await run(`DELETE FROM message_media WHERE tenant_id = :tenantId AND message_id IN (SELECT id FROM messages WHERE tenant_id = :tenantId AND contact_id = :contactId)`);
  await run(`DELETE FROM contact_notes WHERE tenant_id = :tenantId AND contact_id = :contactId`);
  await run(`UPDATE contact_activities SET data = '{"erased": true}' WHERE tenant_id = :tenantId AND contact_id = :contactId`);
  await run(`UPDATE bookings SET notes = NULL WHERE tenant_id = :tenantId AND contact_id = :contactId`);
  await run(`UPDATE agent_turns SET reply_text = NULL, tool_calls = '[]' WHERE tenant_id = :tenantId AND contact_id = :contactId`);
  await run(`UPDATE agent_conversation_states SET summary = NULL WHERE tenant_id = :tenantId
    AND conversation_id IN (SELECT id FROM conversations WHERE tenant_id = :tenantId AND contact_id = :contactId)`);
  await run(`UPDATE contacts SET name = NULL, email = NULL, notes = NULL, lead_stage = 'erased', updated_at = now()
    ${where.keepAddresses ? '' : ", phone = NULL, whatsapp_id = NULL, telegram_chat_id = NULL"}
    WHERE tenant_id = :tenantId AND id = :contactId`);
}

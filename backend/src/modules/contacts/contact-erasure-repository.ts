import type { Transaction } from 'sequelize';
import { queryRows } from '../../db/sql.js';

const ERASED = '[erased]';

/**
 * Erasure, table by table: the contact's personal data blanked or deleted everywhere it is kept, in the
 * caller's transaction. Rows stay where other figures depend on them (messages, calls, bookings are
 * counted), with their content gone. Not touched: the consent ledger (evidence of each opt-in and
 * opt-out; the caller keeps opt-outs as hashed suppressions) and the audit log (append-only).
 */
export async function eraseContactData(tx: Transaction, where: { tenantId: string; contactId: string; addresses: string[] }): Promise<void> {
  const run = (sql: string) => queryRows(tx, sql, { ...where, erased: ERASED });
  await cancelUnsentMessages(tx, where);
  await run(`UPDATE messages SET body = :erased, template = NULL, updated_at = now(),
      from_address = CASE WHEN direction = 'inbound' THEN :erased ELSE from_address END,
      to_address = CASE WHEN direction = 'outbound' THEN :erased ELSE to_address END
    WHERE tenant_id = :tenantId AND contact_id = :contactId`);
  await run(`DELETE FROM message_media WHERE tenant_id = :tenantId
    AND message_id IN (SELECT id FROM messages WHERE tenant_id = :tenantId AND contact_id = :contactId)`);
  await run('DELETE FROM contact_notes WHERE tenant_id = :tenantId AND contact_id = :contactId');
  await run(`UPDATE contact_activities SET data = '{"erased": true}' WHERE tenant_id = :tenantId AND contact_id = :contactId`);
  await run('UPDATE bookings SET notes = NULL, updated_at = now() WHERE tenant_id = :tenantId AND contact_id = :contactId');
  await run('UPDATE payment_links SET description = NULL, updated_at = now() WHERE tenant_id = :tenantId AND contact_id = :contactId');
  await run(`UPDATE agent_turns SET reply_text = NULL, tool_calls = '[]',
      status = CASE WHEN status = 'waiting' THEN 'skipped' ELSE status END,
      outcome = CASE WHEN status = 'waiting' THEN 'contact_erased' ELSE outcome END,
      finished_at = CASE WHEN status = 'waiting' THEN now() ELSE finished_at END
    WHERE tenant_id = :tenantId AND contact_id = :contactId`);
  await run(`UPDATE agent_conversation_states SET summary = NULL WHERE tenant_id = :tenantId
    AND conversation_id IN (SELECT id FROM conversations WHERE tenant_id = :tenantId AND contact_id = :contactId)`);
  // Event payloads (kept until the event bus retention purges them) lose the texts and addresses.
  await run(`UPDATE event_outbox SET data = (data - 'from' - 'to' - 'body' - 'summary') || '{"erased": true}'
    WHERE tenant_id = :tenantId AND data->>'contactId' = :contactId`);
  if (where.addresses.length > 0) await eraseByAddress(tx, where);
  await run(`UPDATE contacts SET name = NULL, email = NULL, notes = NULL, phone = NULL, whatsapp_id = NULL, telegram_chat_id = NULL,
      country = NULL, lead_stage = 'erased', updated_at = now()
    WHERE tenant_id = :tenantId AND id = :contactId`);
}

/** Messages still waiting to go out would go to an address that no longer exists: they fail now instead. */
async function cancelUnsentMessages(tx: Transaction, where: { tenantId: string; contactId: string }): Promise<void> {
  await queryRows(
    tx,
    `WITH cancelled AS (
       UPDATE messages SET status = 'failed', failed_at = now(), updated_at = now(), error_code = 'contact_erased',
         error_message = 'The contact was erased before this message was sent'
       WHERE tenant_id = :tenantId AND contact_id = :contactId AND direction = 'outbound' AND status IN ('queued', 'deferred')
       RETURNING id, agency_id, tenant_id
     ), history AS (
       INSERT INTO message_status_events (agency_id, tenant_id, message_id, status, at, error_code)
       SELECT agency_id, tenant_id, id, 'failed', now(), 'contact_erased' FROM cancelled
     )
     DELETE FROM message_outbox o USING cancelled c WHERE o.tenant_id = :tenantId AND o.message_id = c.id`,
    where,
  );
}

/** Rows that name the person only by address: call logs, call events, deliveries still in the inbound queue. */
async function eraseByAddress(tx: Transaction, where: { tenantId: string; addresses: string[] }): Promise<void> {
  const run = (sql: string) => queryRows(tx, sql, { ...where, erased: ERASED });
  await run(`UPDATE call_logs SET spoken_message = NULL, updated_at = now(),
      from_number = CASE WHEN from_number IN (:addresses) THEN :erased ELSE from_number END,
      to_number = CASE WHEN to_number IN (:addresses) THEN :erased ELSE to_number END
    WHERE tenant_id = :tenantId AND (from_number IN (:addresses) OR to_number IN (:addresses))`);
  await run(`UPDATE event_outbox SET data = (data - 'from' - 'to' - 'body') || '{"erased": true}'
    WHERE tenant_id = :tenantId AND (data->>'from' IN (:addresses) OR data->>'to' IN (:addresses))`);
  await run(`DELETE FROM inbound_queue WHERE tenant_id = :tenantId AND message->>'from' IN (:addresses)`);
}

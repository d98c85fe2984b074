import type { Transaction } from 'sequelize';
import { queryRows } from '../../db/sql.js';

// Everything Switchboard holds about one contact, table by table: the GDPR access request (export-contact.ts).
// Erasure (contact-erasure-repository.ts) must cover every table listed here.
type Where = { tenantId: string; contactId: string };

export async function contactDataSets(tx: Transaction, where: Where) {
  const rows = <T>(sql: string) => queryRows<T>(tx, sql, where);
  return {
    consent: await rows(`SELECT channel, kind, source, wording, evidence, keyword, occurred_at AS "occurredAt" FROM consent_events
      WHERE tenant_id = :tenantId AND contact_id = :contactId ORDER BY seq`),
    conversations: await rows(`SELECT c.id, c.channel, c.created_at AS "createdAt", c.last_message_at AS "lastMessageAt", s.summary AS "agentSummary"
      FROM conversations c LEFT JOIN agent_conversation_states s ON s.conversation_id = c.id AND s.tenant_id = c.tenant_id
      WHERE c.tenant_id = :tenantId AND c.contact_id = :contactId ORDER BY c.created_at`),
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
    /** Opt-outs kept (hashed) after this contact was erased. */
    optOutsKept: await rows(`SELECT channel, min(opted_out_at) AS "optedOutAt", min(created_at) AS "erasedAt" FROM consent_suppressions
      WHERE tenant_id = :tenantId AND erased_contact_id = :contactId GROUP BY channel ORDER BY channel`),
    paymentLinks: await rows(`SELECT id, url, amount, currency, description, active, created_at AS "createdAt" FROM payment_links
      WHERE tenant_id = :tenantId AND contact_id = :contactId ORDER BY created_at`),
  };
}

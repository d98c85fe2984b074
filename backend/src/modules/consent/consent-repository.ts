import type { Transaction } from 'sequelize';
import { iso } from '../../db/rows.js';
import { queryOne, queryRows } from '../../db/sql.js';
import type { Channel } from '../../ports/messaging.js';
import { SUPPRESSION_EVENTS_SQL } from './consent-suppressions.js';

export type ConsentKind = 'opt_in' | 'opt_out';
export type ConsentEvent = {
  id: string;
  contactId: string;
  channel: Channel;
  kind: ConsentKind;
  source: string;
  wording: string | null;
  evidence: Record<string, unknown> | null;
  keyword: string | null;
  messageId: string | null;
  actor: { type: string; id: string | null };
  occurredAt: string;
  createdAt: string;
};

type Row = Omit<ConsentEvent, 'actor'> & { actorType: string; actorId: string | null };
const COLUMNS = `id, contact_id AS "contactId", channel, kind, source, wording, evidence, keyword, message_id AS "messageId",
  actor_type AS "actorType", actor_id AS "actorId", occurred_at AS "occurredAt", created_at AS "createdAt"`;

function plain({ actorType, actorId, ...row }: Row): ConsentEvent {
  return { ...row, actor: { type: actorType, id: actorId }, occurredAt: iso(row.occurredAt)!, createdAt: iso(row.createdAt)! };
}

export type NewConsentEvent = Omit<ConsentEvent, 'id' | 'createdAt' | 'occurredAt'> & { agencyId: string; tenantId: string; occurredAt: Date };

export async function insertConsentEvent(tx: Transaction, event: NewConsentEvent): Promise<ConsentEvent> {
  const row = await queryOne<Row>(
    tx,
    `INSERT INTO consent_events (agency_id, tenant_id, contact_id, channel, kind, source, wording, evidence, keyword, message_id, actor_type, actor_id, occurred_at)
     VALUES (:agencyId, :tenantId, :contactId, :channel, :kind, :source, :wording, CAST(:evidence AS jsonb), :keyword, :messageId, :actorType, :actorId, :occurredAt)
     RETURNING ${COLUMNS}`,
    {
      ...event,
      evidence: event.evidence ? JSON.stringify(event.evidence) : null,
      actorType: event.actor.type,
      actorId: event.actor.id,
      occurredAt: event.occurredAt.toISOString(),
    },
  );
  return plain(row!);
}

/**
 * The latest event per channel (the contact's current consent there); channels never touched are absent.
 * An erased contact's opt-out kept for one of this contact's addresses counts as an event too.
 */
export async function latestConsentEvents(tx: Transaction, where: { tenantId: string; contactId: string }): Promise<ConsentEvent[]> {
  const rows = await queryRows<Row>(
    tx,
    `SELECT DISTINCT ON (channel) ${COLUMNS} FROM (
       SELECT id, contact_id, channel, kind, source, wording, evidence, keyword, message_id, actor_type, actor_id, occurred_at, created_at, seq
         FROM consent_events WHERE tenant_id = :tenantId AND contact_id = :contactId
       UNION ALL ${SUPPRESSION_EVENTS_SQL}
     ) events ORDER BY channel, occurred_at DESC, seq DESC`,
    where,
  );
  return rows.map(plain);
}

export async function listConsentEvents(
  tx: Transaction,
  where: { tenantId: string; contactId: string; limit: number; offset: number },
): Promise<ConsentEvent[]> {
  const rows = await queryRows<Row>(
    tx,
    `SELECT ${COLUMNS} FROM consent_events WHERE tenant_id = :tenantId AND contact_id = :contactId
     ORDER BY occurred_at DESC, seq DESC LIMIT :limit OFFSET :offset`,
    where,
  );
  return rows.map(plain);
}

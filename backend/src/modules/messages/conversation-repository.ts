import type { Transaction } from 'sequelize';
import { iso } from '../../db/rows.js';
import { queryOne, queryRows } from '../../db/sql.js';
import type { Channel } from '../../ports/messaging.js';
import type { Conversation } from './message-types.js';

const COLUMNS = `id, tenant_id AS "tenantId", contact_id AS "contactId", channel, last_message_at AS "lastMessageAt",
  last_inbound_at AS "lastInboundAt", created_at AS "createdAt"`;

function plain(row: Conversation): Conversation {
  return { ...row, lastMessageAt: iso(row.lastMessageAt), lastInboundAt: iso(row.lastInboundAt), createdAt: iso(row.createdAt)! };
}

/** The contact's conversation on the channel, created on first use. */
export async function conversationFor(
  tx: Transaction,
  input: { agencyId: string; tenantId: string; contactId: string; channel: Channel },
): Promise<Conversation> {
  const row = await queryOne<Conversation>(
    tx,
    `INSERT INTO conversations (agency_id, tenant_id, contact_id, channel) VALUES (:agencyId, :tenantId, :contactId, :channel)
     ON CONFLICT (tenant_id, contact_id, channel) DO UPDATE SET updated_at = conversations.updated_at
     RETURNING ${COLUMNS}`,
    input,
  );
  return plain(row!);
}

/** Records that a message happened in the conversation (and, for inbound, that the contact wrote). */
export async function touchConversation(
  tx: Transaction,
  input: { tenantId: string; conversationId: string; at: Date; inbound: boolean },
): Promise<void> {
  await queryRows(
    tx,
    `UPDATE conversations SET last_message_at = greatest(last_message_at, :at), updated_at = now(),
       last_inbound_at = CASE WHEN :inbound THEN greatest(last_inbound_at, :at) ELSE last_inbound_at END
     WHERE id = :conversationId AND tenant_id = :tenantId`,
    { ...input, at: input.at.toISOString() },
  );
}

export async function findConversation(tx: Transaction, where: { tenantId: string; conversationId: string }): Promise<Conversation | undefined> {
  const row = await queryOne<Conversation>(tx, `SELECT ${COLUMNS} FROM conversations WHERE id = :conversationId AND tenant_id = :tenantId`, where);
  return row && plain(row);
}

export async function findConversationOf(tx: Transaction, where: { tenantId: string; contactId: string; channel: Channel }): Promise<Conversation | undefined> {
  const row = await queryOne<Conversation>(
    tx,
    `SELECT ${COLUMNS} FROM conversations WHERE tenant_id = :tenantId AND contact_id = :contactId AND channel = :channel`,
    where,
  );
  return row && plain(row);
}

export async function listConversations(
  tx: Transaction,
  where: { tenantId: string; contactId?: string; channel?: Channel; limit: number; offset: number },
): Promise<Conversation[]> {
  const rows = await queryRows<Conversation>(
    tx,
    `SELECT ${COLUMNS} FROM conversations WHERE tenant_id = :tenantId
       AND (CAST(:contactId AS uuid) IS NULL OR contact_id = :contactId) AND (CAST(:channel AS text) IS NULL OR channel = :channel)
     ORDER BY last_message_at DESC NULLS LAST, id LIMIT :limit OFFSET :offset`,
    { ...where, contactId: where.contactId ?? null, channel: where.channel ?? null },
  );
  return rows.map(plain);
}

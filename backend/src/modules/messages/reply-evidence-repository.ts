import type { Transaction } from 'sequelize';
import { queryOne } from '../../db/sql.js';
import type { Channel } from '../../ports/messaging.js';
import type { InboundEvidence } from '../policy/policy-types.js';

/** Channels addressed by the contact's phone number: a call or a text to that number opens a reply on any of them. */
const PHONE_CHANNELS: readonly Channel[] = ['sms', 'whatsapp'];

/**
 * The contact's latest inbound call or message that a send on `channel` would answer, at or before `now`:
 * on SMS and WhatsApp, an inbound call from the contact's phone number or an inbound SMS/WhatsApp message;
 * elsewhere, an inbound message on that channel. The policy decides whether it is recent enough.
 */
export async function latestInboundEvent(
  tx: Transaction,
  where: { tenantId: string; contactId: string; phone: string | null; channel: Channel; now: Date },
): Promise<InboundEvidence | null> {
  const phoneChannel = PHONE_CHANNELS.includes(where.channel);
  const channels = phoneChannel ? PHONE_CHANNELS : [where.channel];
  const row = await queryOne<{ kind: 'call' | 'message'; id: string; at: Date }>(
    tx,
    `SELECT kind, id, at FROM (
       (SELECT 'message' AS kind, id, coalesce(received_at, created_at) AS at FROM messages
         WHERE tenant_id = :tenantId AND contact_id = :contactId AND direction = 'inbound' AND channel IN (:channels)
           AND coalesce(received_at, created_at) <= :now
         ORDER BY coalesce(received_at, created_at) DESC LIMIT 1)
       UNION ALL
       (SELECT 'call' AS kind, id, coalesce(started_at, created_at) AS at FROM call_logs
         WHERE :phoneChannel AND tenant_id = :tenantId AND direction = 'inbound' AND from_number = :phone
           AND coalesce(started_at, created_at) <= :now
         ORDER BY coalesce(started_at, created_at) DESC LIMIT 1)
     ) inbound ORDER BY at DESC LIMIT 1`,
    { ...where, channels, phoneChannel: phoneChannel && !!where.phone, phone: where.phone ?? '', now: where.now.toISOString() },
  );
  return row ? { kind: row.kind, id: row.id, at: new Date(row.at) } : null;
}

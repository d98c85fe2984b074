import { randomUUID } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';

type Target = { agencyId: string; tenantId: string };

/** An inbound delivery the worker parked after its last attempt (beneath RLS). */
export async function insertParkedInbound(db: Sequelize, t: Target, options: { error?: string } = {}): Promise<{ id: string }> {
  const providerMessageId = `SM${randomUUID().replace(/-/g, '')}`;
  const message = { agencyId: t.agencyId, tenantId: t.tenantId, channel: 'sms', from: '+15550001111', to: '+15550002222', body: 'hello',
    providerMessageId, provider: 'twilio', receivedAt: new Date().toISOString() };
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO inbound_queue (agency_id, tenant_id, provider, provider_message_id, message, received_at, attempts, last_error, failed_at, available_at)
     VALUES (:agencyId, :tenantId, 'twilio', :providerMessageId, CAST(:message AS jsonb), now(), 10, :error, now(), now() + interval '1 day')
     RETURNING id::text AS id`,
    { replacements: { ...t, providerMessageId, message: JSON.stringify(message), error: options.error ?? 'contact lookup failed' }, type: QueryTypes.SELECT },
  );
  return { id: row!.id };
}

import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import type { FakeTwilio, TwilioAccount } from '../../../tests/fakes/twilio/index.js';
import { sealTwilioSecret } from '../../src/modules/provider-credentials/twilio-credential-record.js';
import type { PipelineTenant } from '../support/pipeline-world.js';

// Test-data mothers and ledgers for the reliability runs, written and read beneath row-level security.
export const SENDERS = Array.from({ length: 20 }, (_, i) => `+1555000${String(i).padStart(4, '0')}`);
export const FINAL = ['sent', 'failed', 'dead'];

/**
 * The tenant's Twilio account (sealed with the workers' ENCRYPTION_KEY, as PUT /tenant/providers/twilio
 * stores it) and a fast pace for its SMS senders (a long code's 1/s would make the run take minutes).
 */
export async function connectTwilio(
  db: Sequelize,
  tenant: PipelineTenant,
  input: { account: TwilioAccount; encryptionKey: Buffer; messagesPerSecond: number },
): Promise<void> {
  await db.query(
    `INSERT INTO provider_credentials (agency_id, tenant_id, provider, secret_ciphertext, metadata)
     VALUES (:agencyId, :tenantId, 'twilio', :secret, CAST(:metadata AS jsonb))`,
    {
      replacements: {
        ...tenant,
        secret: sealTwilioSecret(input.encryptionKey, { accountSid: input.account.sid, authToken: input.account.authToken }),
        metadata: JSON.stringify({ accountSidLast4: input.account.sid.slice(-4), phoneNumbers: SENDERS, missedCallMaxSeconds: null }),
      },
    },
  );
  await db.query(`INSERT INTO sender_pacing (tenant_id, channel, sender, messages_per_second) VALUES (:tenantId, 'sms', NULL, :mps)`, {
    replacements: { tenantId: tenant.tenantId, mps: input.messagesPerSecond },
  });
}

/** The batch as requestSend leaves it: queued SMS from the 20 sender numbers, each with its outbox row. */
export async function insertBatch(db: Sequelize, tenant: PipelineTenant, size: number): Promise<void> {
  const tag = randomBytes(3).toString('hex');
  await db.query(
    `WITH c AS (
       INSERT INTO contacts (agency_id, tenant_id, phone)
       SELECT :agencyId, :tenantId, '+1444' || :tag2 || lpad(g::text, 5, '0') FROM generate_series(1, :size) g RETURNING id, phone),
     v AS (
       INSERT INTO conversations (agency_id, tenant_id, contact_id, channel) SELECT :agencyId, :tenantId, id, 'sms' FROM c RETURNING id, contact_id),
     m AS (
       INSERT INTO messages (agency_id, tenant_id, conversation_id, contact_id, direction, channel, from_address, to_address, body, source,
         status, idempotency_key, queued_at)
       SELECT :agencyId, :tenantId, v.id, c.id, 'outbound', 'sms', (CAST(:senders AS text[]))[1 + abs(hashtext(c.phone)) % :senderCount],
         c.phone, 'Reliability run ' || :tag, 'api', 'queued', :tag || '-' || c.phone, now()
       FROM v JOIN c ON c.id = v.contact_id RETURNING id)
     INSERT INTO message_outbox (agency_id, tenant_id, message_id, channel) SELECT :agencyId, :tenantId, id, 'sms' FROM m`,
    {
      replacements: {
        ...tenant, size, tag, tag2: String(parseInt(tag, 16) % 1000).padStart(3, '0'),
        senders: `{${SENDERS.join(',')}}`, senderCount: SENDERS.length,
      },
    },
  );
}

export type Tally = { statuses: Record<string, number>; final: number; outbox: number };

export async function tally(db: Sequelize, tenantId: string): Promise<Tally> {
  const [rows] = (await db.query(`SELECT status, count(*)::int AS n FROM messages WHERE tenant_id = :tenantId GROUP BY status`, {
    replacements: { tenantId },
  })) as [{ status: string; n: number }[], unknown];
  const [outbox] = (await db.query(`SELECT count(*)::int AS n FROM message_outbox WHERE tenant_id = :tenantId`, { replacements: { tenantId } })) as [
    { n: number }[],
    unknown,
  ];
  const statuses = Object.fromEntries(rows.map((row) => [row.status, row.n]));
  return { statuses, final: rows.filter((row) => FINAL.includes(row.status)).reduce((sum, row) => sum + row.n, 0), outbox: outbox[0]!.n };
}

type Row = { id: string; status: string; sid: string | null; from: string | null; to: string; finals: number };

/**
 * From the fake Twilio's ledger: each message was accepted exactly once (no (To, Body, mid) twice), by
 * the sid we stored, from the sender we meant; and from ours: each message reached one final state
 * (its history holds exactly one final status).
 */
export async function expectExactlyOnce(db: Sequelize, tenant: PipelineTenant, fake: FakeTwilio, batch: number): Promise<void> {
  const [rows] = (await db.query(
    `SELECT m.id, m.status, m.provider_message_id AS "sid", m.from_address AS "from", m.to_address AS "to",
       (SELECT count(*)::int FROM message_status_events e WHERE e.message_id = m.id AND e.status IN (:final)) AS finals
     FROM messages m WHERE m.tenant_id = :tenantId`,
    { replacements: { tenantId: tenant.tenantId, final: FINAL } },
  )) as [Row[], unknown];
  expect(rows).to.have.length(batch);
  expect(fake.duplicates(), 'the fake Twilio accepted some message more than once').to.deep.equal([]);
  const accepted = new Map<string, FakeTwilio['messages']>();
  for (const message of fake.messages) accepted.set(message.mid ?? '', [...(accepted.get(message.mid ?? '') ?? []), message]);
  const problems: string[] = [];
  for (const row of rows) {
    const ledger = accepted.get(row.id) ?? [];
    if (row.status !== 'sent') problems.push(`${row.id}: ${row.status}`);
    if (row.finals !== 1) problems.push(`${row.id}: ${row.finals} final statuses in its history`);
    if (ledger.length !== 1) problems.push(`${row.id}: accepted by Twilio ${ledger.length} times`);
    else if (ledger[0]!.sid !== row.sid) problems.push(`${row.id}: stored sid ${row.sid} != Twilio's ${ledger[0]!.sid}`);
    else if (ledger[0]!.from !== row.from || ledger[0]!.to !== row.to) problems.push(`${row.id}: sent ${ledger[0]!.from} -> ${ledger[0]!.to}`);
  }
  expect(problems.slice(0, 20), `${problems.length} problems`).to.deep.equal([]);
  expect(fake.messages).to.have.length(batch);
}

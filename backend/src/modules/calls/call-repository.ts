import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';
import type { CallOutcome, CallStatus } from './call-status.js';

export type CallLog = {
  id: string;
  agencyId: string;
  tenantId: string;
  provider: string;
  providerCallId: string | null;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  status: CallStatus;
  durationSeconds: number | null;
  spokenMessage: string | null;
  outcome: CallOutcome | null;
  placedBy: string | null;
  /** A replayed "Send a test missed call" (never a real call; billing leaves it out). */
  isTest: boolean;
  startedAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

const COLUMNS = `id, agency_id AS "agencyId", tenant_id AS "tenantId", provider, provider_call_id AS "providerCallId", direction,
  from_number AS "from", to_number AS "to", status, duration_seconds AS "durationSeconds", spoken_message AS "spokenMessage",
  outcome, placed_by AS "placedBy", is_test AS "isTest", started_at AS "startedAt", answered_at AS "answeredAt", ended_at AS "endedAt",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : (value as string | null));
function plain(row: CallLog): CallLog {
  return {
    ...row,
    durationSeconds: row.durationSeconds === null ? null : Number(row.durationSeconds),
    startedAt: iso(row.startedAt), answeredAt: iso(row.answeredAt), endedAt: iso(row.endedAt),
    createdAt: iso(row.createdAt)!, updatedAt: iso(row.updatedAt)!,
  };
}

export type NewCall = Pick<CallLog, 'agencyId' | 'tenantId' | 'provider' | 'direction' | 'from' | 'to' | 'status'> &
  Partial<Pick<CallLog, 'providerCallId' | 'spokenMessage' | 'placedBy' | 'isTest'>>;

export async function insertCall(tx: Transaction, call: NewCall): Promise<CallLog> {
  const row = await queryOne<CallLog>(
    tx,
    `INSERT INTO call_logs (agency_id, tenant_id, provider, provider_call_id, direction, from_number, to_number, status, spoken_message, placed_by)
     VALUES (:agencyId, :tenantId, :provider, :providerCallId, :direction, :from, :to, :status, :spokenMessage, :placedBy)
     RETURNING ${COLUMNS}`,
    { ...call, providerCallId: call.providerCallId ?? null, spokenMessage: call.spokenMessage ?? null, placedBy: call.placedBy ?? null },
  );
  return plain(row!);
}

/** Inserts the call the provider tells us about unless it exists; concurrent deliveries get the same row. */
export async function ensureProviderCall(tx: Transaction, call: NewCall & { providerCallId: string }): Promise<void> {
  await queryRows(
    tx,
    `INSERT INTO call_logs (agency_id, tenant_id, provider, provider_call_id, direction, from_number, to_number, status, is_test)
     VALUES (:agencyId, :tenantId, :provider, :providerCallId, :direction, :from, :to, :status, :isTest)
     ON CONFLICT (tenant_id, provider, provider_call_id) WHERE provider_call_id IS NOT NULL DO NOTHING`,
    { ...call, isTest: call.isTest ?? false },
  );
}

/** Locks the call for an update: by the provider's id, or by our id (a call we placed, before its SID was stored). */
export async function lockCall(
  tx: Transaction,
  where: { tenantId: string; provider: string; providerCallId: string; callId?: string },
): Promise<CallLog | undefined> {
  const row = await queryOne<CallLog>(
    tx,
    `SELECT ${COLUMNS} FROM call_logs WHERE tenant_id = :tenantId AND provider = :provider
       AND (provider_call_id = :providerCallId OR (CAST(:callId AS uuid) IS NOT NULL AND id = CAST(:callId AS uuid)))
     ORDER BY (provider_call_id = :providerCallId) DESC NULLS LAST LIMIT 1 FOR UPDATE`,
    { ...where, callId: where.callId ?? null },
  );
  return row && plain(row);
}

export async function updateCall(
  tx: Transaction,
  input: Pick<CallLog, 'id' | 'status' | 'durationSeconds' | 'startedAt' | 'answeredAt' | 'endedAt' | 'outcome'> & { providerCallId: string },
): Promise<CallLog> {
  const row = await queryOne<CallLog>(
    tx,
    `UPDATE call_logs SET provider_call_id = :providerCallId, status = :status, duration_seconds = :durationSeconds,
       started_at = :startedAt, answered_at = :answeredAt, ended_at = :endedAt, outcome = :outcome, updated_at = now()
     WHERE id = :id RETURNING ${COLUMNS}`,
    input,
  );
  return plain(row!);
}

export async function setProviderCallId(tx: Transaction, input: { id: string; providerCallId: string; status: string }): Promise<CallLog> {
  const row = await queryOne<CallLog>(
    tx,
    `UPDATE call_logs SET provider_call_id = coalesce(provider_call_id, :providerCallId),
       status = CASE WHEN status = 'queued' THEN :status ELSE status END, updated_at = now()
     WHERE id = :id RETURNING ${COLUMNS}`,
    input,
  );
  return plain(row!);
}

export async function markCallFailed(tx: Transaction, input: { id: string }): Promise<CallLog> {
  const row = await queryOne<CallLog>(tx, `UPDATE call_logs SET status = 'failed', ended_at = now(), updated_at = now() WHERE id = :id RETURNING ${COLUMNS}`, input);
  return plain(row!);
}

export async function findCall(tx: Transaction, where: { tenantId: string; callId: string }): Promise<CallLog | undefined> {
  const row = await queryOne<CallLog>(tx, `SELECT ${COLUMNS} FROM call_logs WHERE tenant_id = :tenantId AND id = :callId`, where);
  return row && plain(row);
}

export async function listCalls(
  tx: Transaction,
  where: { tenantId: string; direction?: 'inbound' | 'outbound'; outcome?: CallOutcome; limit: number; offset: number },
): Promise<CallLog[]> {
  const rows = await queryRows<CallLog>(
    tx,
    `SELECT ${COLUMNS} FROM call_logs WHERE tenant_id = :tenantId
       AND (CAST(:direction AS text) IS NULL OR direction = :direction) AND (CAST(:outcome AS text) IS NULL OR outcome = :outcome)
     ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset`,
    { ...where, direction: where.direction ?? null, outcome: where.outcome ?? null },
  );
  return rows.map(plain);
}

export type FollowUp = {
  callId: string; messageId: string; channel: string; status: string; at: string;
  /** The policy's reason (denied, deferred, or a reply allowed on the call's evidence) and until when it waits. */
  reason: { code: string; message: string } | null;
  deferredUntil: string | null;
  /** The provider's error when the message failed. */
  error: string | null;
};

/**
 * What the missed-call workflow sent for these calls: its sends carry the idempotency key
 * `missed-call:<call id>` (WhatsApp) and `missed-call:<call id>:sms` (SMS, first or as the fallback).
 */
export async function followUpsOf(tx: Transaction, where: { tenantId: string; callIds: string[] }): Promise<FollowUp[]> {
  if (where.callIds.length === 0) return [];
  const rows = await queryRows<Omit<FollowUp, 'reason'> & { at: Date; reasonCode: string | null; reasonText: string | null; deferredUntil: Date | null }>(
    tx,
    `SELECT split_part(idempotency_key, ':', 2) AS "callId", id AS "messageId", channel, status, created_at AS at,
       policy_reason AS "reasonCode", policy_reason_text AS "reasonText",
       CASE WHEN status = 'deferred' THEN deferred_until END AS "deferredUntil",
       nullif(concat_ws(': ', error_code, error_message), '') AS error
     FROM messages
     WHERE tenant_id = :tenantId AND direction = 'outbound' AND idempotency_key LIKE 'missed-call:%'
       AND split_part(idempotency_key, ':', 2) IN (:callIds)
     ORDER BY created_at`,
    where,
  );
  return rows.map(({ reasonCode, reasonText, ...row }) => ({
    ...row,
    at: iso(row.at)!,
    deferredUntil: iso(row.deferredUntil),
    reason: reasonCode ? { code: reasonCode, message: reasonText ?? '' } : null,
  }));
}

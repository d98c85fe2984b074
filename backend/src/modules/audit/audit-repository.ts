import type { Transaction } from 'sequelize';
import { queryRows } from '../../db/sql.js';
import type { AuditRowContent } from './audit-hash.js';

export type StoredAuditEvent = AuditRowContent & { id: string; prevHash: string; hash: string };
export type AuditFilter = {
  agencyId: string;
  tenantId?: string;
  action?: string;
  actorType?: string;
  actorId?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
};

const COLUMNS = `id, chain_key AS "chainKey", seq, agency_id AS "agencyId", tenant_id AS "tenantId", actor_type AS "actorType",
  actor_id AS "actorId", acting_as_tenant_id AS "actingAsTenantId", action, target_type AS "targetType",
  target_id AS "targetId", before, after, request_id AS "requestId", ip, created_at AS "createdAt",
  prev_hash AS "prevHash", hash`;

function plain(row: StoredAuditEvent): StoredAuditEvent {
  const createdAt = row.createdAt as unknown;
  return { ...row, seq: Number(row.seq), createdAt: createdAt instanceof Date ? createdAt.toISOString() : String(createdAt) };
}

export async function findAuditEvents(tx: Transaction, filter: AuditFilter): Promise<StoredAuditEvent[]> {
  const nullable = (value: string | undefined) => value ?? null;
  const rows = await queryRows<StoredAuditEvent>(
    tx,
    `SELECT ${COLUMNS} FROM audit_events
     WHERE agency_id = :agencyId
       AND (CAST(:tenantId AS uuid) IS NULL OR tenant_id = :tenantId)
       AND (CAST(:action AS text) IS NULL OR action = :action)
       AND (CAST(:actorType AS text) IS NULL OR actor_type = :actorType)
       AND (CAST(:actorId AS text) IS NULL OR actor_id = :actorId)
       AND (CAST(:targetType AS text) IS NULL OR target_type = :targetType)
       AND (CAST(:targetId AS text) IS NULL OR target_id = :targetId)
       AND (CAST(:from AS timestamptz) IS NULL OR created_at >= :from)
       AND (CAST(:to AS timestamptz) IS NULL OR created_at < :to)
     ORDER BY created_at DESC, chain_key, seq DESC LIMIT :limit OFFSET :offset`,
    {
      ...filter,
      tenantId: nullable(filter.tenantId),
      action: nullable(filter.action),
      actorType: nullable(filter.actorType),
      actorId: nullable(filter.actorId),
      targetType: nullable(filter.targetType),
      targetId: nullable(filter.targetId),
      from: nullable(filter.from),
      to: nullable(filter.to),
    },
  );
  return rows.map(plain);
}

/** One page of the agency's chains in chain order, after the (chainKey, seq) cursor. */
export async function findChainPage(
  tx: Transaction,
  input: { agencyId: string; afterChainKey: string; afterSeq: number; limit: number },
): Promise<StoredAuditEvent[]> {
  const rows = await queryRows<StoredAuditEvent>(
    tx,
    `SELECT ${COLUMNS} FROM audit_events WHERE agency_id = :agencyId AND (chain_key, seq) > (:afterChainKey, :afterSeq)
     ORDER BY chain_key, seq LIMIT :limit`,
    input,
  );
  return rows.map(plain);
}

export async function findChainHeads(tx: Transaction, agencyId: string): Promise<Map<string, { seq: number; hash: string }>> {
  const rows = await queryRows<{ chainKey: string; seq: string; hash: string }>(
    tx,
    `SELECT chain_key AS "chainKey", seq, hash FROM audit_chain_heads WHERE agency_id = :agencyId`,
    { agencyId },
  );
  return new Map(rows.map((row) => [row.chainKey, { seq: Number(row.seq), hash: row.hash }]));
}

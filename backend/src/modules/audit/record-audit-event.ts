import { sequelizeOf } from '../../db/sql.js';
import { applyScope, readScope } from '../../db/tenant-scope.js';
import { auditHash, chainKeyFor, GENESIS_HASH, type AuditRowContent } from './audit-hash.js';
import { redactSecrets } from './redact-secrets.js';
import type { AuditEvent, RecordAuditEvent } from './types.js';

function rowContent(event: AuditEvent, chainKey: string, seq: number): AuditRowContent {
  return {
    chainKey,
    seq,
    agencyId: event.agencyId,
    tenantId: event.tenantId ?? null,
    actorType: event.actor.type,
    actorId: event.actor.id ?? null,
    actingAsTenantId: event.actor.actingAsTenantId ?? null,
    action: event.action,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    before: event.before ? redactSecrets(event.before) : null,
    after: event.after ? redactSecrets(event.after) : null,
    requestId: event.requestId ?? null,
    ip: event.ip ?? null,
    createdAt: new Date().toISOString(),
  };
}

/**
 * Appends an event to its chain (the tenant's, or the agency's for agency-level events) inside the
 * caller's transaction, so the event exists exactly when the change does. The chain head is locked
 * with a transaction-level advisory lock, so concurrent writers get consecutive sequence numbers.
 * The scope is switched to the event's own for the append and restored afterwards.
 */
export const recordAuditEvent: RecordAuditEvent = async (transaction, event) => {
  const sequelize = sequelizeOf(transaction);
  const callerScope = await readScope(sequelize, transaction);
  await applyScope(sequelize, transaction, { agencyId: event.agencyId, tenantId: event.tenantId ?? undefined });
  const chainKey = chainKeyFor(event.agencyId, event.tenantId);
  await sequelize.query('SELECT pg_advisory_xact_lock(hashtextextended(:chainKey, 0))', {
    replacements: { chainKey },
    transaction,
  });
  const [heads] = (await sequelize.query('SELECT seq, hash FROM audit_chain_heads WHERE chain_key = :chainKey', {
    replacements: { chainKey },
    transaction,
  })) as [{ seq: string; hash: string }[], unknown];
  const head = heads[0];
  const content = rowContent(event, chainKey, head ? Number(head.seq) + 1 : 1);
  const prevHash = head?.hash ?? GENESIS_HASH;
  const hash = auditHash(prevHash, content);
  await sequelize.query(
    `INSERT INTO audit_events (chain_key, seq, agency_id, tenant_id, actor_type, actor_id, acting_as_tenant_id, action,
       target_type, target_id, before, after, request_id, ip, created_at, prev_hash, hash)
     VALUES (:chainKey, :seq, :agencyId, :tenantId, :actorType, :actorId, :actingAsTenantId, :action, :targetType,
       :targetId, CAST(:before AS jsonb), CAST(:after AS jsonb), :requestId, :ip, :createdAt, :prevHash, :hash)`,
    {
      replacements: {
        ...content,
        before: content.before === null ? null : JSON.stringify(content.before),
        after: content.after === null ? null : JSON.stringify(content.after),
        prevHash,
        hash,
      },
      transaction,
    },
  );
  await sequelize.query(
    `INSERT INTO audit_chain_heads (chain_key, agency_id, tenant_id, seq, hash) VALUES (:chainKey, :agencyId, :tenantId, :seq, :hash)
     ON CONFLICT (chain_key) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, updated_at = now()`,
    { replacements: { chainKey, agencyId: content.agencyId, tenantId: content.tenantId, seq: content.seq, hash }, transaction },
  );
  await applyScope(sequelize, transaction, callerScope);
};

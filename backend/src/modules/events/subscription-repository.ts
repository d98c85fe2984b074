import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';

export type EventSubscription = {
  id: string;
  agencyId: string;
  tenantId: string | null;
  url: string;
  eventTypes: string[];
  description: string | null;
  createdByType: string;
  createdById: string;
  createdAt: string;
};

const COLUMNS = `id, agency_id AS "agencyId", tenant_id AS "tenantId", url, event_types AS "eventTypes", description,
  created_by_type AS "createdByType", created_by_id AS "createdById", created_at AS "createdAt"`;

const plain = (row: EventSubscription): EventSubscription => ({ ...row, createdAt: new Date(row.createdAt).toISOString() });

export async function insertSubscription(
  tx: Transaction,
  input: Omit<EventSubscription, 'id' | 'createdAt'> & { secretEncrypted: string },
): Promise<EventSubscription> {
  const row = await queryOne<EventSubscription>(
    tx,
    `INSERT INTO event_subscriptions (agency_id, tenant_id, url, secret_encrypted, event_types, description, created_by_type, created_by_id)
     VALUES (:agencyId, :tenantId, :url, :secretEncrypted, CAST(ARRAY[:eventTypes] AS text[]), :description, :createdByType, :createdById)
     RETURNING ${COLUMNS}`,
    input,
  );
  return plain(row!);
}

/** The agency's subscriptions, or only one tenant's when tenantId is given. */
export async function listSubscriptions(tx: Transaction, where: { agencyId: string; tenantId?: string }): Promise<EventSubscription[]> {
  const rows = await queryRows<EventSubscription>(
    tx,
    `SELECT ${COLUMNS} FROM event_subscriptions
     WHERE agency_id = :agencyId AND (CAST(:tenantId AS uuid) IS NULL OR tenant_id = :tenantId) ORDER BY created_at DESC, id`,
    { ...where, tenantId: where.tenantId ?? null },
  );
  return rows.map(plain);
}

export async function deleteSubscription(tx: Transaction, where: { agencyId: string; tenantId?: string; subscriptionId: string }): Promise<EventSubscription | undefined> {
  const row = await queryOne<EventSubscription>(
    tx,
    `DELETE FROM event_subscriptions WHERE id = :subscriptionId AND agency_id = :agencyId
       AND (CAST(:tenantId AS uuid) IS NULL OR tenant_id = :tenantId) RETURNING ${COLUMNS}`,
    { ...where, tenantId: where.tenantId ?? null },
  );
  return row && plain(row);
}

/** Subscriptions that may receive an event of this tenant: the tenant's own and the agency-wide ones. */
export async function subscriptionsForEvent(tx: Transaction, event: { agencyId: string; tenantId: string | null }): Promise<EventSubscription[]> {
  const rows = await queryRows<EventSubscription>(
    tx,
    `SELECT ${COLUMNS} FROM event_subscriptions
     WHERE agency_id = :agencyId AND (tenant_id IS NULL OR tenant_id = :tenantId)`,
    { agencyId: event.agencyId, tenantId: event.tenantId || null },
  );
  return rows.map(plain);
}

import type { Transaction } from 'sequelize';
import { iso } from '../../db/rows.js';
import { queryOne } from '../../db/sql.js';

export type PaymentLink = {
  id: string;
  provider: string;
  providerLinkId: string;
  url: string;
  active: boolean;
  amount: number | null;
  currency: string | null;
  description: string | null;
  priceId: string;
  quantity: number;
  contactId: string | null;
  metadata: Record<string, string>;
  createdAt: string;
};

const COLUMNS = `id, provider, provider_link_id AS "providerLinkId", url, active, amount, currency, description, price_id AS "priceId",
  quantity, contact_id AS "contactId", metadata, created_at AS "createdAt"`;

const plain = (row: PaymentLink): PaymentLink => ({ ...row, amount: row.amount === null ? null : Number(row.amount), createdAt: iso(row.createdAt)! });

export async function findPaymentLink(tx: Transaction, where: { tenantId: string; id?: string; idempotencyKey?: string }): Promise<PaymentLink | undefined> {
  const by = where.id ? 'id = :id' : 'idempotency_key = :idempotencyKey';
  const row = await queryOne<PaymentLink>(tx, `SELECT ${COLUMNS} FROM payment_links WHERE tenant_id = :tenantId AND ${by}`, where);
  return row && plain(row);
}

export async function insertPaymentLink(
  tx: Transaction,
  input: Omit<PaymentLink, 'id' | 'createdAt'> & { agencyId: string; tenantId: string; idempotencyKey: string | null; createdByType: string; createdById: string },
): Promise<PaymentLink> {
  const row = await queryOne<PaymentLink>(
    tx,
    `INSERT INTO payment_links (agency_id, tenant_id, contact_id, provider, provider_link_id, url, active, amount, currency, description,
       price_id, quantity, metadata, idempotency_key, created_by_type, created_by_id)
     VALUES (:agencyId, :tenantId, :contactId, :provider, :providerLinkId, :url, :active, :amount, :currency, :description,
       :priceId, :quantity, CAST(:metadata AS jsonb), :idempotencyKey, :createdByType, :createdById)
     RETURNING ${COLUMNS}`,
    { ...input, metadata: JSON.stringify(input.metadata) },
  );
  return plain(row!);
}

export async function updatePaymentLinkState(tx: Transaction, input: { tenantId: string; id: string; active: boolean; url: string }): Promise<PaymentLink> {
  const row = await queryOne<PaymentLink>(
    tx,
    `UPDATE payment_links SET active = :active, url = :url, updated_at = now() WHERE tenant_id = :tenantId AND id = :id RETURNING ${COLUMNS}`,
    input,
  );
  return plain(row!);
}

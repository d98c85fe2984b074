import { randomUUID } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { TenantTarget } from './messaging-world.js';

/** A stored payment link (beneath RLS) whose Stripe id no fake account knows. */
export async function insertPaymentLink(db: Sequelize, t: TenantTarget): Promise<{ id: string }> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO payment_links (agency_id, tenant_id, provider, provider_link_id, url, amount, currency, description, price_id, created_by_type, created_by_id)
     VALUES (:agencyId, :tenantId, 'stripe', :linkId, 'https://buy.stripe.test/x', 4900, 'usd', 'Deposit', 'price_world', 'system', 'test') RETURNING id`,
    { replacements: { ...t, linkId: `plink_${randomUUID().slice(0, 8)}` }, type: QueryTypes.SELECT },
  );
  return row!;
}

/** Usage rows of a tenant (superuser view). */
export async function usageRowsOf(db: Sequelize, tenantId: string): Promise<Record<string, unknown>[]> {
  return db.query(`SELECT * FROM usage_events WHERE tenant_id = :tenantId ORDER BY created_at`, { replacements: { tenantId }, type: QueryTypes.SELECT });
}

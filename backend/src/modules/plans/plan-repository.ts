import type { Transaction } from 'sequelize';
import { iso } from '../../db/rows.js';
import { queryOne, queryRows } from '../../db/sql.js';

export type PlanRow = {
  id: string;
  agencyId: string;
  name: string;
  description: string;
  currency: string;
  stripeProductId: string | null;
  archivedAt: string | null;
  currentVersionId: string;
  createdAt: string;
  updatedAt: string;
};

const COLUMNS = `id, agency_id AS "agencyId", name, description, currency, stripe_product_id AS "stripeProductId",
  archived_at AS "archivedAt", current_version_id AS "currentVersionId", created_at AS "createdAt", updated_at AS "updatedAt"`;

const plain = (row: PlanRow): PlanRow => ({ ...row, archivedAt: iso(row.archivedAt), createdAt: iso(row.createdAt)!, updatedAt: iso(row.updatedAt)! });

export async function insertPlan(tx: Transaction, input: { agencyId: string; name: string; description: string; currency: string }): Promise<PlanRow> {
  const row = await queryOne<PlanRow>(
    tx, `INSERT INTO plans (agency_id, name, description, currency) VALUES (:agencyId, :name, :description, :currency) RETURNING ${COLUMNS}`, input,
  );
  return plain(row!);
}

/** The agency's plan, or undefined (another agency's plan is not found either). */
export async function findPlan(tx: Transaction, where: { agencyId: string; planId: string }, options: { forUpdate?: boolean } = {}): Promise<PlanRow | undefined> {
  const row = await queryOne<PlanRow>(
    tx, `SELECT ${COLUMNS} FROM plans WHERE id = :planId AND agency_id = :agencyId${options.forUpdate ? ' FOR UPDATE' : ''}`, where,
  );
  return row && plain(row);
}

export async function listPlans(tx: Transaction, agencyId: string): Promise<PlanRow[]> {
  const rows = await queryRows<PlanRow>(tx, `SELECT ${COLUMNS} FROM plans WHERE agency_id = :agencyId ORDER BY archived_at NULLS FIRST, created_at, id`, { agencyId });
  return rows.map(plain);
}

export async function updatePlan(
  tx: Transaction,
  planId: string,
  fields: { name?: string; description?: string; currentVersionId?: string; archived?: boolean },
): Promise<PlanRow> {
  const row = await queryOne<PlanRow>(
    tx,
    `UPDATE plans SET name = COALESCE(:name, name), description = COALESCE(:description, description),
       current_version_id = COALESCE(CAST(:currentVersionId AS uuid), current_version_id),
       archived_at = CASE WHEN :archived THEN COALESCE(archived_at, now()) ELSE archived_at END, updated_at = now()
     WHERE id = :planId RETURNING ${COLUMNS}`,
    { planId, name: fields.name ?? null, description: fields.description ?? null, currentVersionId: fields.currentVersionId ?? null, archived: fields.archived ?? false },
  );
  return plain(row!);
}

/** Keeps the Stripe product made for the plan (only if none is stored yet: a concurrent sync made the same one). */
export async function setStripeProductId(tx: Transaction, planId: string, productId: string): Promise<void> {
  await queryRows(tx, 'UPDATE plans SET stripe_product_id = :productId WHERE id = :planId AND stripe_product_id IS NULL', { planId, productId });
}

import type { Transaction } from 'sequelize';
import { queryOne } from '../../db/sql.js';

/** Switched-on agents of the tenant (paused ones, e.g. after a downgrade, do not count). */
export async function countActiveAgents(tx: Transaction, where: { tenantId: string }): Promise<number> {
  const row = await queryOne<{ count: string }>(tx, 'SELECT count(*) AS count FROM agents WHERE tenant_id = :tenantId AND enabled', where);
  return Number(row?.count ?? 0);
}

/** Seats taken in the tenant: its members plus the invitations still pending (each holds a seat until it ends). */
export async function countTakenSeats(tx: Transaction, where: { agencyId: string; tenantId: string }): Promise<number> {
  const row = await queryOne<{ count: string }>(
    tx,
    `SELECT (SELECT count(*) FROM memberships WHERE agency_id = :agencyId AND tenant_id = :tenantId)
          + (SELECT count(*) FROM invitations WHERE agency_id = :agencyId AND tenant_id = :tenantId
               AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()) AS count`,
    where,
  );
  return Number(row?.count ?? 0);
}

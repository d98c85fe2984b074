import type { Transaction } from 'sequelize';
import { iso } from '../../db/rows.js';
import { queryOne, queryRows } from '../../db/sql.js';
import type { SubscriptionInterval } from '../plans/subscription-repository.js';

export type SignupRequestRow = {
  id: string;
  agencyId: string;
  email: string;
  name: string;
  businessName: string;
  timeZone: string;
  passwordHash: string;
  planId: string;
  interval: SubscriptionInterval;
  expiresAt: string;
  completedAt: string | null;
  tenantId: string | null;
};

const COLUMNS = `id, agency_id AS "agencyId", email, name, business_name AS "businessName", time_zone AS "timeZone",
  password_hash AS "passwordHash", plan_id AS "planId", interval, expires_at AS "expiresAt", completed_at AS "completedAt", tenant_id AS "tenantId"`;

const plain = (row: SignupRequestRow): SignupRequestRow => ({ ...row, expiresAt: iso(row.expiresAt)!, completedAt: iso(row.completedAt) });

export type NewSignupRequest = Omit<SignupRequestRow, 'id' | 'expiresAt' | 'completedAt' | 'tenantId'> & { tokenHash: string; expiresAt: Date; ip: string | null };

/**
 * Stores a request; an earlier unverified request for the same address stops working (only the latest link counts).
 * Requests never verified are forgotten a week after their link expired (they hold a password hash).
 */
export async function insertSignupRequest(tx: Transaction, input: NewSignupRequest): Promise<string> {
  await queryRows(
    tx, `DELETE FROM signup_requests WHERE agency_id = :agencyId AND completed_at IS NULL AND expires_at < now() - interval '7 days'`, input,
  );
  await queryRows(
    tx,
    `UPDATE signup_requests SET expires_at = LEAST(expires_at, now()) WHERE agency_id = :agencyId AND lower(email) = lower(:email) AND completed_at IS NULL`,
    input,
  );
  const row = await queryOne<{ id: string }>(
    tx,
    `INSERT INTO signup_requests (agency_id, email, name, business_name, time_zone, password_hash, plan_id, interval, token_hash, expires_at, requested_ip)
     VALUES (:agencyId, :email, :name, :businessName, :timeZone, :passwordHash, :planId, :interval, :tokenHash, :expiresAt, :ip) RETURNING id`,
    input,
  );
  return row!.id;
}

/** The request a mailed token belongs to, locked so two clicks on the link complete it once. */
export async function findSignupRequestByToken(tx: Transaction, where: { agencyId: string; tokenHash: string }): Promise<SignupRequestRow | undefined> {
  const row = await queryOne<SignupRequestRow>(
    tx, `SELECT ${COLUMNS} FROM signup_requests WHERE agency_id = :agencyId AND token_hash = :tokenHash FOR UPDATE`, where,
  );
  return row && plain(row);
}

/** Used once; the password hash now lives on the user, so the request keeps none. */
export async function markSignupCompleted(tx: Transaction, where: { id: string; tenantId: string }): Promise<void> {
  await queryRows(tx, `UPDATE signup_requests SET completed_at = now(), tenant_id = :tenantId, password_hash = '' WHERE id = :id AND completed_at IS NULL`, where);
}

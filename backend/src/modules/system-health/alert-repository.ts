import type { Transaction } from 'sequelize';
import { queryRows } from '../../db/sql.js';
import type { AlertCondition, AlertKind } from './alert-conditions.js';

export type SystemAlert = {
  id: string; kind: AlertKind; subjectKey: string; tenantId: string | null; tenantName: string | null; detail: string;
  openedAt: string; resolvedAt: string | null; lastNotifiedAt: string | null;
};

const COLUMNS = `a.id, a.kind, a.subject_key AS "subjectKey", a.tenant_id AS "tenantId", t.name AS "tenantName", a.detail,
  a.opened_at AS "openedAt", a.resolved_at AS "resolvedAt", a.last_notified_at AS "lastNotifiedAt"`;

type Row = Omit<SystemAlert, 'openedAt' | 'resolvedAt' | 'lastNotifiedAt'> & { openedAt: Date; resolvedAt: Date | null; lastNotifiedAt: Date | null };
const iso = (value: Date | null) => (value === null ? null : new Date(value).toISOString());
const plain = (row: Row): SystemAlert => ({ ...row, openedAt: iso(row.openedAt)!, resolvedAt: iso(row.resolvedAt), lastNotifiedAt: iso(row.lastNotifiedAt) });

/** Opens the alert unless one is open for the same kind and subject (then only its detail is refreshed). */
export async function upsertOpenAlert(tx: Transaction, input: AlertCondition & { agencyId: string }): Promise<{ alert: SystemAlert; opened: boolean }> {
  const [row] = await queryRows<Row & { opened: boolean }>(
    tx,
    `WITH a AS (
       INSERT INTO system_alerts (agency_id, tenant_id, kind, subject_key, detail) VALUES (:agencyId, :tenantId, :kind, :subjectKey, left(:detail, 500))
       ON CONFLICT (agency_id, kind, subject_key) WHERE resolved_at IS NULL DO UPDATE SET detail = EXCLUDED.detail
       RETURNING *, (xmax = 0) AS opened)
     SELECT ${COLUMNS}, a.opened FROM a LEFT JOIN tenants t ON t.id = a.tenant_id`,
    input,
  );
  const { opened, ...alert } = row!;
  return { alert: plain(alert), opened };
}

/** Resolves the agency's open alerts whose condition is gone; returns them. */
export async function resolveClearedAlerts(tx: Transaction, input: { agencyId: string; stillOpen: readonly AlertCondition[] }): Promise<SystemAlert[]> {
  const keys = input.stillOpen.map((c) => `${c.kind}:${c.subjectKey}`);
  const rows = await queryRows<Row>(
    tx,
    `WITH a AS (
       UPDATE system_alerts SET resolved_at = now()
        WHERE agency_id = :agencyId AND resolved_at IS NULL AND NOT (kind || ':' || subject_key = ANY (CAST(ARRAY[:keys] AS text[])))
       RETURNING *)
     SELECT ${COLUMNS} FROM a LEFT JOIN tenants t ON t.id = a.tenant_id`,
    { agencyId: input.agencyId, keys: keys.length > 0 ? keys : [''] },
  );
  return rows.map(plain);
}

export async function selectOpenAlerts(tx: Transaction, where: { agencyId: string }): Promise<SystemAlert[]> {
  const rows = await queryRows<Row>(
    tx,
    `SELECT ${COLUMNS} FROM system_alerts a LEFT JOIN tenants t ON t.id = a.tenant_id
      WHERE a.agency_id = :agencyId AND a.resolved_at IS NULL ORDER BY a.opened_at, a.id`,
    where,
  );
  return rows.map(plain);
}

/**
 * Claims the open alerts nobody was told about yet, or not for a day (a reminder while one stays open): stamped
 * notified in the caller's transaction, so two workers running the loop at once never mail the same alert twice.
 */
export async function claimAlertsToNotify(tx: Transaction, where: { agencyId: string }): Promise<SystemAlert[]> {
  const rows = await queryRows<Row>(
    tx,
    `WITH a AS (
       UPDATE system_alerts SET last_notified_at = now()
        WHERE agency_id = :agencyId AND resolved_at IS NULL
          AND (last_notified_at IS NULL OR last_notified_at < now() - interval '24 hours')
       RETURNING *)
     SELECT ${COLUMNS} FROM a LEFT JOIN tenants t ON t.id = a.tenant_id ORDER BY a.opened_at, a.id`,
    where,
  );
  return rows.map(plain);
}

/** Where alerts go: the agency owners' addresses (active accounts). */
export async function selectAgencyAdminEmails(tx: Transaction, where: { agencyId: string }): Promise<string[]> {
  const rows = await queryRows<{ email: string }>(
    tx,
    `SELECT DISTINCT u.email FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.agency_id = :agencyId AND m.tenant_id IS NULL AND m.role = 'agency_owner' AND u.status = 'active' ORDER BY u.email`,
    where,
  );
  return rows.map((row) => row.email);
}

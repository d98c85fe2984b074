import type { Transaction } from 'sequelize';
import { queryRows } from '../../db/sql.js';

export type RescanNeeded = { tenantId: string; tenantName: string; state: 'logged_out' | 'qr'; lastError: string | null; since: string };
export type WebhookFailureCount = { provider: string; failures: number; lastAt: string };
export type AutomationFailureRow = {
  id: string; tenantId: string | null; tenantName: string | null; workflowId: string; workflowName: string | null;
  executionId: string | null; node: string | null; errorMessage: string; occurredAt: string;
};

const iso = (value: Date | string) => new Date(value).toISOString();

/** Linked WhatsApp sessions someone has to scan a QR code for: logged out on the phone, or a pairing left half done. */
export async function selectSessionsNeedingRescan(tx: Transaction, where: { agencyId: string }): Promise<RescanNeeded[]> {
  const rows = await queryRows<RescanNeeded & { since: Date }>(
    tx,
    `SELECT d.tenant_id AS "tenantId", t.name AS "tenantName", d.state, d.last_error AS "lastError", d.updated_at AS since
       FROM whatsapp_linked_devices d JOIN tenants t ON t.id = d.tenant_id
      WHERE d.agency_id = :agencyId AND d.state IN ('logged_out', 'qr') ORDER BY t.name, d.tenant_id`,
    where,
  );
  return rows.map((row) => ({ ...row, since: iso(row.since) }));
}

/** Rejected webhook signatures in the last 24 hours, per provider (installation-level ones included). */
export async function selectWebhookFailureCounts(tx: Transaction, where: { agencyId: string }): Promise<WebhookFailureCount[]> {
  const rows = await queryRows<WebhookFailureCount & { lastAt: Date }>(
    tx,
    `SELECT provider, count(*)::int AS failures, max(created_at) AS "lastAt" FROM webhook_failures
      WHERE (agency_id = :agencyId OR agency_id IS NULL) AND created_at > now() - interval '24 hours'
      GROUP BY provider ORDER BY provider`,
    where,
  );
  return rows.map((row) => ({ ...row, lastAt: iso(row.lastAt) }));
}

/** n8n executions that failed in the last 24 hours (reported by n8n's error workflow), newest first. */
export async function selectRecentAutomationFailures(tx: Transaction, where: { agencyId: string; limit: number }): Promise<AutomationFailureRow[]> {
  const rows = await queryRows<AutomationFailureRow & { occurredAt: Date }>(
    tx,
    `SELECT f.id, f.tenant_id AS "tenantId", t.name AS "tenantName", f.workflow_id AS "workflowId", f.workflow_name AS "workflowName",
            f.execution_id AS "executionId", f.node, f.error_message AS "errorMessage", f.occurred_at AS "occurredAt"
       FROM automation_failures f LEFT JOIN tenants t ON t.id = f.tenant_id
      WHERE f.agency_id = :agencyId AND f.occurred_at > now() - interval '24 hours'
      ORDER BY f.occurred_at DESC, f.id LIMIT :limit`,
    where,
  );
  return rows.map((row) => ({ ...row, occurredAt: iso(row.occurredAt) }));
}

/** Deletes rejected-signature notes older than `days` (the worker's retention loop). */
export async function deleteOldWebhookFailures(tx: Transaction, where: { days: number; limit: number }): Promise<number> {
  const rows = await queryRows(
    tx,
    `DELETE FROM webhook_failures WHERE id IN (
       SELECT id FROM webhook_failures WHERE created_at < now() - make_interval(days => :days) LIMIT :limit) RETURNING id`,
    where,
  );
  return rows.length;
}

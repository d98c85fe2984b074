import type { Transaction } from 'sequelize';
import { iso } from '../../db/rows.js';
import { queryOne, queryRows } from '../../db/sql.js';

export type AutomationRun = {
  id: string; tenantId: string; workflowId: string; workflowName: string | null; executionId: string;
  eventId: string | null; callId: string | null; contactId: string | null; messageId: string | null; startedAt: string;
};

export type AutomationFailure = {
  id: string; tenantId: string | null; workflowId: string; workflowName: string | null; executionId: string | null;
  executionUrl: string | null; node: string | null; errorMessage: string; callId: string | null; contactId: string | null;
  messageId: string | null; occurredAt: string;
};

const RUN_COLUMNS = `id, tenant_id AS "tenantId", workflow_id AS "workflowId", workflow_name AS "workflowName", execution_id AS "executionId",
  event_id AS "eventId", call_id AS "callId", contact_id AS "contactId", message_id AS "messageId", started_at AS "startedAt"`;
const FAILURE_COLUMNS = `id, tenant_id AS "tenantId", workflow_id AS "workflowId", workflow_name AS "workflowName", execution_id AS "executionId",
  execution_url AS "executionUrl", node, error_message AS "errorMessage", call_id AS "callId", contact_id AS "contactId",
  message_id AS "messageId", occurred_at AS "occurredAt"`;

const runOf = (row: AutomationRun): AutomationRun => ({ ...row, startedAt: iso(row.startedAt)! });
const failureOf = (row: AutomationFailure): AutomationFailure => ({ ...row, occurredAt: iso(row.occurredAt)! });

/** Records that an execution started working on a call/contact; the same execution again keeps the first record. */
export async function upsertRun(
  tx: Transaction,
  run: Omit<AutomationRun, 'id' | 'startedAt'> & { agencyId: string },
): Promise<AutomationRun> {
  await queryRows(
    tx,
    `INSERT INTO automation_runs (agency_id, tenant_id, workflow_id, workflow_name, execution_id, event_id, call_id, contact_id, message_id)
     VALUES (:agencyId, :tenantId, :workflowId, :workflowName, :executionId, :eventId, :callId, :contactId, :messageId)
     ON CONFLICT (agency_id, workflow_id, execution_id) DO NOTHING`,
    run,
  );
  return (await findRun(tx, run))!;
}

export async function findRun(tx: Transaction, where: { agencyId: string; workflowId: string; executionId: string }): Promise<AutomationRun | undefined> {
  const row = await queryOne<AutomationRun>(
    tx,
    `SELECT ${RUN_COLUMNS} FROM automation_runs WHERE agency_id = :agencyId AND workflow_id = :workflowId AND execution_id = :executionId`,
    where,
  );
  return row && runOf(row);
}

/** One failure per execution: n8n reporting the same failed execution twice records it once. */
export async function insertFailure(
  tx: Transaction,
  failure: Omit<AutomationFailure, 'id' | 'occurredAt'> & { agencyId: string },
): Promise<AutomationFailure> {
  const inserted = await queryOne<AutomationFailure>(
    tx,
    `INSERT INTO automation_failures (agency_id, tenant_id, workflow_id, workflow_name, execution_id, execution_url, node, error_message,
       call_id, contact_id, message_id)
     VALUES (:agencyId, :tenantId, :workflowId, :workflowName, :executionId, :executionUrl, :node, :errorMessage, :callId, :contactId, :messageId)
     ON CONFLICT (agency_id, workflow_id, execution_id) WHERE execution_id IS NOT NULL DO NOTHING
     RETURNING ${FAILURE_COLUMNS}`,
    failure,
  );
  if (inserted) return failureOf(inserted);
  const existing = await queryOne<AutomationFailure>(
    tx,
    `SELECT ${FAILURE_COLUMNS} FROM automation_failures WHERE agency_id = :agencyId AND workflow_id = :workflowId AND execution_id = :executionId`,
    failure,
  );
  return failureOf(existing!);
}

/** The automation records of these calls: which executions started on them and which failed. */
export async function automationOfCalls(
  tx: Transaction,
  where: { tenantId: string; callIds: string[] },
): Promise<{ runs: AutomationRun[]; failures: AutomationFailure[] }> {
  if (where.callIds.length === 0) return { runs: [], failures: [] };
  const runs = await queryRows<AutomationRun>(
    tx, `SELECT ${RUN_COLUMNS} FROM automation_runs WHERE tenant_id = :tenantId AND call_id IN (:callIds) ORDER BY started_at`, where,
  );
  const failures = await queryRows<AutomationFailure>(
    tx, `SELECT ${FAILURE_COLUMNS} FROM automation_failures WHERE tenant_id = :tenantId AND call_id IN (:callIds) ORDER BY occurred_at`, where,
  );
  return { runs: runs.map(runOf), failures: failures.map(failureOf) };
}

export async function listFailures(tx: Transaction, where: { tenantId: string; limit: number; offset: number }): Promise<AutomationFailure[]> {
  const rows = await queryRows<AutomationFailure>(
    tx,
    `SELECT ${FAILURE_COLUMNS} FROM automation_failures WHERE tenant_id = :tenantId ORDER BY occurred_at DESC, id DESC LIMIT :limit OFFSET :offset`,
    where,
  );
  return rows.map(failureOf);
}

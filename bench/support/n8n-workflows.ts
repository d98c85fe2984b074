import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoDir } from './processes.js';
import type { N8nWorkflowJson } from './n8n-rest.js';

// The workflows the n8n benchmark runs: n8n's own benchmark shape (Webhook -> Set) as the baseline, and a
// copy of the shipped after-call workflow that is identical but for two settings, so that it can be measured.
export const AFTER_CALL_ID = 'sbAfterCall00001';
export const BASELINE_ID = 'sbBenchBaseline1';
export const BASELINE_PATH = 'bench-baseline';

/** Webhook (answers with the last node's output, so the HTTP latency is the execution's) -> Set. */
export function baselineWorkflow(): N8nWorkflowJson {
  return {
    id: BASELINE_ID,
    name: 'Bench: Webhook -> Set',
    nodes: [
      {
        id: randomUUID(), name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: randomUUID(),
        parameters: { httpMethod: 'POST', path: BASELINE_PATH, responseMode: 'lastNode', options: {} },
      },
      {
        id: randomUUID(), name: 'Set', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [220, 0],
        parameters: { assignments: { assignments: [{ id: randomUUID(), name: 'ok', type: 'boolean', value: true }] }, includeOtherFields: false, options: {} },
      },
    ],
    connections: { Webhook: { main: [[{ node: 'Set', type: 'main', index: 0 }]] } },
    settings: { executionOrder: 'v1' },
  };
}

type Assignment = { name: string; value: unknown };
type WorkflowFile = { nodes: { type: string; parameters: Record<string, unknown> }[]; settings?: Record<string, unknown> };

/**
 * A folder holding only the after-call workflow for the stack's n8n to import at its first start:
 * statusWaitMinutes 0 (the shipped 5 minutes would park every execution in the Wait node), and successful
 * executions kept (the shipped workflow saves none, and the benchmark reads their times from n8n).
 * The other shipped workflows are left out so that nothing else runs during the measurement.
 */
export function benchWorkflowsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-n8n-'));
  const file = 'sb-after-call-followup.json';
  const workflow = JSON.parse(readFileSync(join(repoDir, 'n8n-workflows', file), 'utf8')) as WorkflowFile;
  for (const node of workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.set')) {
    const assignments = (node.parameters.assignments as { assignments?: Assignment[] } | undefined)?.assignments ?? [];
    for (const assignment of assignments) if (assignment.name === 'statusWaitMinutes') assignment.value = 0;
  }
  workflow.settings = { ...workflow.settings, saveDataSuccessExecution: 'all' };
  writeFileSync(join(dir, file), JSON.stringify(workflow, null, 2));
  return dir;
}

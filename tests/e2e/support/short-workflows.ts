import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../../deploy/native/tools.js';

type Node = { name: string; type: string; parameters: Record<string, unknown> };
type Assignment = { name: string; value: unknown };

/** Seconds each shipped wait lasts in the e2e copy (the shipped values are minutes and hours). */
export const SHORT_WAITS = { statusWaitMinutes: 4, firstDelayHours: 6, secondDelayHours: 6 };

/**
 * A copy of n8n-workflows/ with the waits shortened to seconds, for the e2e stack's n8n to import:
 * the workflows are otherwise exactly the shipped ones (same ids, nodes and connections).
 */
export function shortWaitWorkflows(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-e2e-workflows-'));
  for (const file of readdirSync(join(repoRoot, 'n8n-workflows')).filter((f) => f.endsWith('.json'))) {
    const workflow = JSON.parse(readFileSync(join(repoRoot, 'n8n-workflows', file), 'utf8')) as { nodes: Node[] };
    for (const node of workflow.nodes) {
      if (node.type === 'n8n-nodes-base.wait') node.parameters.unit = 'seconds';
      if (node.type !== 'n8n-nodes-base.set') continue;
      const assignments = (node.parameters.assignments as { assignments?: Assignment[] } | undefined)?.assignments ?? [];
      for (const assignment of assignments) {
        if (assignment.name in SHORT_WAITS) assignment.value = SHORT_WAITS[assignment.name as keyof typeof SHORT_WAITS];
      }
    }
    writeFileSync(join(dir, file), JSON.stringify(workflow, null, 2));
  }
  return dir;
}

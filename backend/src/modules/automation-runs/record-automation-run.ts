import type { ScopedDeps } from '../../db/scoped-deps.js';
import type { Actor } from '../../http/request-context.js';
import { upsertRun, type AutomationRun } from './automation-run-repository.js';

export type RunStart = {
  workflowId: string; workflowName?: string | null; executionId: string;
  eventId?: string | null; callId?: string | null; contactId?: string | null; messageId?: string | null;
};

/**
 * An n8n execution says, as its first step, which call (contact, message) it works on. If it fails later,
 * n8n's error workflow only knows the execution id: this record turns that into "the follow-up of call X failed".
 */
export function recordAutomationRun(deps: ScopedDeps, input: { actor: Actor; run: RunStart }): Promise<AutomationRun> {
  const scope = { agencyId: input.actor.principal.agencyId, tenantId: input.actor.principal.tenantId! };
  const { run } = input;
  return deps.runInScope(scope, (tx) =>
    upsertRun(tx, {
      ...scope, workflowId: run.workflowId, workflowName: run.workflowName ?? null, executionId: run.executionId,
      eventId: run.eventId ?? null, callId: run.callId ?? null, contactId: run.contactId ?? null, messageId: run.messageId ?? null,
    }),
  );
}

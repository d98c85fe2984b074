import type { ScopedDeps } from '../../db/scoped-deps.js';
import type { Actor } from '../../http/request-context.js';
import { findRun, insertFailure, type AutomationFailure } from './automation-run-repository.js';

export type FailureReport = {
  workflowId: string; workflowName?: string | null; executionId?: string | null; executionUrl?: string | null;
  node?: string | null; errorMessage: string;
};

/**
 * What n8n's error workflow reports when an execution failed. The run the execution recorded when it started
 * (if it got that far) tells the tenant and the call; without it the failure is the agency's, still counted.
 */
export function reportAutomationFailure(deps: ScopedDeps, input: { actor: Actor; report: FailureReport }): Promise<AutomationFailure> {
  const agencyId = input.actor.principal.agencyId;
  const { report } = input;
  return deps.runInScope({ agencyId }, async (tx) => {
    const run = report.executionId ? await findRun(tx, { agencyId, workflowId: report.workflowId, executionId: report.executionId }) : undefined;
    return insertFailure(tx, {
      agencyId,
      tenantId: run?.tenantId ?? null,
      workflowId: report.workflowId,
      workflowName: report.workflowName ?? run?.workflowName ?? null,
      executionId: report.executionId ?? null,
      executionUrl: report.executionUrl ?? null,
      node: report.node ?? null,
      errorMessage: report.errorMessage.slice(0, 2000),
      callId: run?.callId ?? null,
      contactId: run?.contactId ?? null,
      messageId: run?.messageId ?? null,
    });
  });
}

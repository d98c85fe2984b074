import type { ScopedDeps } from '../../db/scoped-deps.js';
import type { Actor } from '../../http/request-context.js';
import { listFailures, type AutomationFailure } from './automation-run-repository.js';

/** The tenant's failed automation executions, newest first. */
export function listAutomationFailures(deps: ScopedDeps, input: { actor: Actor; limit: number; offset: number }): Promise<AutomationFailure[]> {
  const scope = { agencyId: input.actor.principal.agencyId, tenantId: input.actor.principal.tenantId! };
  return deps.runInScope(scope, (tx) => listFailures(tx, { tenantId: scope.tenantId, limit: input.limit, offset: input.offset }));
}

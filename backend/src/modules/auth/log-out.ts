import type { AuthDeps, RequestMeta } from './auth-deps.js';
import type { Principal } from './principal.js';

type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** Ends the current session only. */
export async function logOut(deps: Pick<AuthDeps, 'sessions'>, principal: UserPrincipal): Promise<void> {
  await deps.sessions.destroy({ key: principal.sessionId, userId: principal.userId });
}

/** Ends every session of the user, on every device, this one included. */
export async function logOutEverywhere(
  deps: Pick<AuthDeps, 'sessions' | 'runInScope' | 'recordAuditEvent'>,
  principal: UserPrincipal,
  meta: RequestMeta,
): Promise<{ sessionsEnded: number }> {
  const sessionsEnded = await deps.sessions.destroyAllForUser(principal.userId);
  await deps.runInScope({}, (t) =>
    deps.recordAuditEvent(t, {
      agencyId: principal.agencyId,
      tenantId: principal.tenantId ?? null,
      actor: { type: 'user', id: principal.userId, actingAsTenantId: principal.actingAs ? principal.tenantId : null },
      action: 'auth.logout_all',
      target: { type: 'user', id: principal.userId },
      after: { sessionsEnded },
      requestId: meta.requestId,
      ip: meta.ip,
    }),
  );
  return { sessionsEnded };
}

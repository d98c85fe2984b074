import { AppError } from '../../http/errors.js';
import { listMemberships, type UserRecord } from './account-repository.js';
import type { AuthDeps, RequestMeta } from './auth-deps.js';
import type { UserPrincipal } from './principal.js';
import { recordLoginFailure } from './record-login-failure.js';
import { resolvePrincipal } from './resolve-principal.js';

export type SignedIn = { sessionId: string; principal: UserPrincipal };

export const SUSPENDED_MESSAGE = 'This account is suspended. Contact your administrator.';

/**
 * Signs a verified user in: refuses suspended users (or users whose every tenant is suspended), ends the
 * session the browser had (the id is rotated on every login) and opens a new one, audited.
 */
export async function startSession(
  deps: AuthDeps,
  user: UserRecord,
  input: { method: 'password' | 'google'; previousSessionId?: string; meta: RequestMeta },
): Promise<SignedIn> {
  const previous = input.previousSessionId ? await deps.sessions.read(input.previousSessionId) : undefined;
  if (previous) await deps.sessions.destroy(previous);
  const memberships = await deps.runInScope({}, (t) => listMemberships(t, user.id));
  const draft = resolvePrincipal(user, memberships, { key: '' });
  if (!draft) {
    await recordLoginFailure(deps, user, 'account_suspended', input.meta);
    throw new AppError('FORBIDDEN', SUSPENDED_MESSAGE, { reason: 'account_suspended' });
  }
  const { id, session } = await deps.sessions.create({ userId: user.id });
  const principal: UserPrincipal = { ...draft, sessionId: session.key };
  try {
    await deps.runInScope({}, (t) =>
      deps.recordAuditEvent(t, {
        agencyId: principal.agencyId,
        tenantId: principal.tenantId ?? null,
        actor: { type: 'user', id: user.id },
        action: 'auth.login.succeeded',
        target: { type: 'user', id: user.id },
        after: { method: input.method, sessionId: session.key },
        requestId: input.meta.requestId,
        ip: input.meta.ip,
      }),
    );
  } catch (err) {
    await deps.sessions.destroy(session); // no session without its audit record
    throw err;
  }
  return { sessionId: id, principal };
}

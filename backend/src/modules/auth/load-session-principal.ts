import { findUserById, listMemberships } from './account-repository.js';
import type { AuthDeps } from './auth-deps.js';
import type { Principal } from './principal.js';
import { resolvePrincipal } from './resolve-principal.js';
import type { Session } from './session-store.js';

type Deps = Pick<AuthDeps, 'runInScope' | 'sessions'>;

/**
 * Turns a session cookie id into the caller's principal. User and membership state is re-read on every
 * request, so a suspended user or tenant loses access at once; such a session is ended.
 */
export async function loadSessionPrincipal(deps: Deps, sessionId: string): Promise<Principal | undefined> {
  const session = await deps.sessions.read(sessionId);
  return session ? principalForSession(deps, session) : undefined;
}

/** Same, from the server-side key (after a change to the session within a request). */
export async function loadPrincipalByKey(deps: Deps, key: string): Promise<Principal | undefined> {
  const session = await deps.sessions.readByKey(key);
  return session ? principalForSession(deps, session) : undefined;
}

async function principalForSession(deps: Deps, session: Session): Promise<Principal | undefined> {
  const principal = await deps.runInScope({}, async (t) => {
    const user = await findUserById(t, session.userId);
    return user ? resolvePrincipal(user, await listMemberships(t, user.id), session) : undefined;
  });
  if (!principal) await deps.sessions.destroy(session);
  return principal;
}

import { randomUUID } from 'node:crypto';
import { Router, type Express } from 'express';
import { loadConfig } from '../../src/config.js';
import { createContainer, type Container } from '../../src/container.js';
import { createApp } from '../../src/http/app.js';
import type { RouteSpec } from '../../src/http/route-registry.js';
import { buildApi } from '../../src/http/routes.js';
import { ROLE_PERMISSIONS, type Role } from '../../src/modules/auth/permissions.js';
import type { Principal, UserPrincipal } from '../../src/modules/auth/principal.js';
import { RedisSessionStore } from '../../src/modules/auth/session-store.js';
import { validEnv } from './env.js';
import { providerFakeEnv } from './provider-fakes.js';
import { testDatabase } from './integration-hooks.js';
import { TEST_REDIS_URL } from './test-database.js';
import type { WorldUser } from './accounts-world.js';

export const TEST_PRINCIPAL_HEADER = 'x-test-principal';

/** Test settings: Google sign-in configured with dummy credentials, so its routes redirect (no network is used). */
export function testEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return validEnv({
    DATABASE_URL: testDatabase().appUrl,
    REDIS_URL: TEST_REDIS_URL,
    GOOGLE_CLIENT_ID: 'matrix-client',
    GOOGLE_CLIENT_SECRET: 'matrix-secret',
    ...providerFakeEnv(),
    ...overrides,
  });
}

/**
 * The real app (real routers, authorization middleware, PostgreSQL as the app role, Redis) with one
 * test-only addition in front: a header naming a principal registered by the test, standing in for
 * the cookie session middleware, so the matrices can cover every role cheaply. Everything after
 * authentication runs unchanged. The production app never has this router (see session-role-matrix).
 */
export class TestApi {
  readonly app: Express;
  /** The declared routes, as mounted in `app`. */
  readonly routes: RouteSpec[];
  private readonly principals = new Map<string, Principal>();
  private readonly sessions: RedisSessionStore;

  constructor(readonly container: Container) {
    const { config } = container;
    this.sessions = new RedisSessionStore(container.redis, config.secrets.session, config.auth.sessionTtlSeconds);
    const testPrincipals = Router();
    testPrincipals.use(async (req, _res, next) => {
      const key = req.headers[TEST_PRINCIPAL_HEADER];
      const principal = typeof key === 'string' ? this.principals.get(key) : undefined;
      if (principal) req.principal = principal.kind === 'user' ? await this.withLiveSession(principal) : principal;
      next();
    });
    const api = buildApi(container);
    this.routes = api.routes;
    this.app = createApp({ logger: container.logger, routers: [testPrincipals, ...api.routers] });
  }

  static create(overrides: Record<string, string> = {}): TestApi {
    return new TestApi(createContainer(loadConfig(testEnv(overrides))));
  }

  /** Registers a principal; send the returned headers to act as it. */
  signIn(principal: Principal): Record<string, string> {
    const key = randomUUID();
    this.principals.set(key, principal);
    return { [TEST_PRINCIPAL_HEADER]: key };
  }

  close(): Promise<void> {
    return this.container.close();
  }

  /**
   * Routes that change the session (switch tenant, act as tenant, log out) need one in Redis: a user
   * principal gets a real session matching it, re-created when a route ended it. The registered
   * principal stays what the request acts as.
   */
  private async withLiveSession(principal: UserPrincipal): Promise<UserPrincipal> {
    if (await this.sessions.readByKey(principal.sessionId)) return principal;
    const { session } = await this.sessions.create({
      userId: principal.userId,
      tenantId: principal.actingAs ? undefined : principal.tenantId,
      actingAs: principal.actingAs && principal.tenantId ? { tenantId: principal.tenantId, agencyId: principal.agencyId } : undefined,
    });
    principal.sessionId = session.key;
    return principal;
  }
}

/** The principal a session would resolve for this membership (mirrors modules/auth resolvePrincipal). */
export function memberPrincipal(agencyId: string, user: WorldUser): UserPrincipal {
  return {
    kind: 'user',
    userId: user.userId,
    agencyId,
    sessionId: randomUUID(),
    role: user.role,
    tenantId: user.tenantId ?? undefined,
    permissions: ROLE_PERMISSIONS[user.role],
  };
}

/** Agency staff acting as one of the agency's tenants. */
export function actingAsPrincipal(agencyId: string, user: WorldUser, tenantId: string): UserPrincipal {
  const agencyRole: Role = user.role;
  return { ...memberPrincipal(agencyId, user), role: 'tenant_admin', tenantId, actingAs: { agencyRole }, permissions: ROLE_PERMISSIONS[agencyRole] };
}

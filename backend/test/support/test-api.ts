import { randomUUID } from 'node:crypto';
import { Router, type Express } from 'express';
import { loadConfig } from '../../src/config.js';
import { createContainer, type Container } from '../../src/container.js';
import { createApp } from '../../src/http/app.js';
import { buildRouters } from '../../src/http/routes.js';
import { ROLE_PERMISSIONS, type Role } from '../../src/modules/auth/permissions.js';
import type { Principal } from '../../src/modules/auth/principal.js';
import { validEnv } from './env.js';
import { testDatabase } from './integration-hooks.js';
import { TEST_REDIS_URL } from './test-database.js';
import type { WorldUser } from './accounts-world.js';

export const TEST_PRINCIPAL_HEADER = 'x-test-principal';

/**
 * The real app (real routers, authorization middleware, PostgreSQL as the app role, Redis) with one
 * test-only addition in front: a header naming a principal registered by the test, standing in for
 * the cookie session middleware. Everything after authentication runs unchanged.
 */
export class TestApi {
  readonly app: Express;
  private readonly principals = new Map<string, Principal>();

  constructor(readonly container: Container) {
    const sessions = Router();
    sessions.use((req, _res, next) => {
      const key = req.headers[TEST_PRINCIPAL_HEADER];
      if (typeof key === 'string' && this.principals.has(key)) req.principal = this.principals.get(key);
      next();
    });
    this.app = createApp({ logger: container.logger, routers: [sessions, ...buildRouters(container)] });
  }

  static create(): TestApi {
    return new TestApi(createContainer(loadConfig(validEnv({ DATABASE_URL: testDatabase().appUrl, REDIS_URL: TEST_REDIS_URL }))));
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
}

/** The principal a session would resolve for this membership (mirrors modules/auth resolvePrincipal). */
export function memberPrincipal(agencyId: string, user: WorldUser): Principal & { kind: 'user' } {
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
export function actingAsPrincipal(agencyId: string, user: WorldUser, tenantId: string): Principal {
  const agencyRole: Role = user.role;
  return { ...memberPrincipal(agencyId, user), role: 'tenant_admin', tenantId, actingAs: { agencyRole }, permissions: ROLE_PERMISSIONS[agencyRole] };
}

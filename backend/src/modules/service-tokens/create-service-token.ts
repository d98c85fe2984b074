import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { Permission } from '../auth/permissions.js';
import { actorId } from '../auth/principal.js';
import { findTenant } from '../tenants/tenant-repository.js';
import { insertServiceToken, type ServiceToken } from './service-token-repository.js';
import { assertGrantable, tokenScope, type TokenLevel } from './token-level.js';
import { formatToken, newSecret } from './token-secret.js';

export type IssuedToken = { serviceToken: ServiceToken; token: string };

/**
 * Issues a token; the full token is returned exactly once. At agency level `tenantId` (optional)
 * names a tenant of the agency to bind it to; at tenant level it is always the caller's tenant.
 */
export async function createServiceToken(
  deps: ScopedDeps,
  input: { actor: Actor; level: TokenLevel; name: string; permissions: Permission[]; tenantId?: string },
): Promise<IssuedToken> {
  const scope = tokenScope(input.actor, input.level);
  const tenantId = input.level === 'tenant' ? scope.tenantId! : (input.tenantId ?? null);
  assertGrantable(input.actor, input.permissions, tenantId);
  return deps.runInScope(scope, async (tx) => {
    if (tenantId && !(await findTenant(tx, { agencyId: scope.agencyId, tenantId }))) throw new AppError('NOT_FOUND', 'Tenant not found');
    const { secret, secretHash } = newSecret();
    const serviceToken = await insertServiceToken(tx, {
      agencyId: scope.agencyId,
      tenantId,
      name: input.name,
      permissions: [...new Set(input.permissions)],
      secretHash,
      createdByType: input.actor.principal.kind,
      createdById: actorId(input.actor.principal),
    });
    await recordAuditEvent(tx, {
      agencyId: scope.agencyId,
      tenantId,
      ...auditOrigin(input.actor),
      action: 'service_token.created',
      target: { type: 'service_token', id: serviceToken.id },
      after: { name: serviceToken.name, tenantId, permissions: serviceToken.permissions },
    });
    return { serviceToken, token: formatToken(serviceToken.id, secret) };
  });
}

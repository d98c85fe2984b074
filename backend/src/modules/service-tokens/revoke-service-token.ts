import type { Transaction } from 'sequelize';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { actorId } from '../auth/principal.js';
import { findServiceTokenForUpdate, insertServiceToken, listServiceTokens as selectTokens, markRevoked, type ServiceToken } from './service-token-repository.js';
import { assertGrantable, tokenScope, type TokenLevel } from './token-level.js';
import { formatToken, newSecret } from './token-secret.js';
import type { IssuedToken } from './create-service-token.js';

type Input = { actor: Actor; level: TokenLevel; tokenId: string };

export function listServiceTokens(deps: ScopedDeps, input: { actor: Actor; level: TokenLevel }): Promise<ServiceToken[]> {
  const scope = tokenScope(input.actor, input.level);
  return deps.runInScope(scope, (tx) => selectTokens(tx, scope));
}

/** Revokes at once: the next request with it is a 401. Revoking a revoked token changes nothing. */
export function revokeServiceToken(deps: ScopedDeps, input: Input): Promise<ServiceToken> {
  return withLiveToken(deps, input, { allowRevoked: true }, async (tx, token) => {
    if (token.revokedAt) return token;
    const revoked = await markRevoked(tx, { tokenId: token.id, replacedById: null });
    await audit(tx, input.actor, token, 'service_token.revoked', { revokedAt: revoked.revokedAt });
    return revoked;
  });
}

/** A new secret under a new token id with the same name, tenant and permissions; the old one is revoked. */
export function rotateServiceToken(deps: ScopedDeps, input: Input): Promise<IssuedToken> {
  return withLiveToken(deps, input, { allowRevoked: false }, async (tx, token) => {
    assertGrantable(input.actor, token.permissions, token.tenantId);
    const { secret, secretHash } = newSecret();
    const replacement = await insertServiceToken(tx, {
      ...token,
      secretHash,
      createdByType: input.actor.principal.kind,
      createdById: actorId(input.actor.principal),
    });
    await markRevoked(tx, { tokenId: token.id, replacedById: replacement.id });
    await audit(tx, input.actor, token, 'service_token.rotated', { replacedById: replacement.id });
    return { serviceToken: replacement, token: formatToken(replacement.id, secret) };
  });
}

async function withLiveToken<T>(
  deps: ScopedDeps,
  input: Input,
  options: { allowRevoked: boolean },
  work: (tx: Transaction, token: ServiceToken) => Promise<T>,
): Promise<T> {
  const scope = tokenScope(input.actor, input.level);
  return deps.runInScope(scope, async (tx) => {
    const token = await findServiceTokenForUpdate(tx, { ...scope, tokenId: input.tokenId });
    if (!token) throw new AppError('NOT_FOUND', 'Service token not found');
    if (token.revokedAt && !options.allowRevoked) throw new AppError('CONFLICT', 'The service token is revoked');
    return work(tx, token);
  });
}

async function audit(tx: Transaction, actor: Actor, token: ServiceToken, action: string, after: Record<string, unknown>) {
  await recordAuditEvent(tx, {
    agencyId: token.agencyId,
    tenantId: token.tenantId,
    ...auditOrigin(actor),
    action,
    target: { type: 'service_token', id: token.id },
    before: { name: token.name, permissions: token.permissions },
    after,
  });
}

import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import { addToLogContext, principalLogFields } from '../../log-context.js';
import { authenticateServiceToken, type LastUseThrottle } from './authenticate-service-token.js';

export const TENANT_HEADER = 'x-switchboard-tenant';
const LAST_USED_INTERVAL_SECONDS = 60;

/** At most one last_used_at write per token per minute, however busy the token is. */
export function redisLastUseThrottle(redis: Redis): LastUseThrottle {
  return async (tokenId) => {
    try {
      return (await redis.set(`sb:service-token:used:${tokenId}`, '1', 'EX', LAST_USED_INTERVAL_SECONDS, 'NX')) === 'OK';
    } catch {
      return false; // Redis trouble must not block API calls; last_used_at is best effort
    }
  };
}

/** `Authorization: Bearer sbt_...` sets req.principal; requests without a bearer token pass through untouched. */
export function bearerAuthentication(deps: ScopedDeps & { shouldRecordUse: LastUseThrottle }): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (!header || !/^Bearer\s+sbt_/i.test(header)) return next();
    const tenantHeader = req.headers[TENANT_HEADER];
    let actForTenantId: string | undefined;
    if (tenantHeader !== undefined) {
      const parsed = z.uuid().safeParse(tenantHeader);
      if (!parsed.success) {
        throw new AppError('VALIDATION_FAILED', 'The request is not valid', [{ path: `headers.${TENANT_HEADER}`, message: 'must be a tenant id' }]);
      }
      actForTenantId = parsed.data;
    }
    const principal = await authenticateServiceToken(deps, { token: header.replace(/^Bearer\s+/i, '').trim(), actForTenantId });
    req.principal = principal;
    addToLogContext(principalLogFields(principal));
    next();
  };
}

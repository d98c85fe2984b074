import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Sequelize } from 'sequelize';
import type { Config } from '../../config.js';
import { scopeRunner } from '../../db/tenant-scope.js';
import type { Logger } from '../../logger.js';
import type { MailPort } from '../../ports/mail.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { RecordAuditEvent } from '../audit/types.js';
import type { AuthDeps } from './auth-deps.js';
import { authenticateSession } from './authenticate-session.js';
import { csrfProtection } from './csrf.js';
import { LoginThrottle, type ThrottleLimits } from './login-throttle.js';
import { createPassport } from './passport-setup.js';
import { DEFAULT_RESET_REQUEST_LIMITS, ResetRequestLimit, type ResetRequestLimits } from './reset-request-limit.js';
import type { AuthHttp } from './routes.js';
import { RedisSessionStore } from './session-store.js';

export type IdentityInfra = {
  config: Pick<Config, 'publicUrl' | 'portalUrl' | 'auth' | 'secrets' | 'pipeline'>;
  logger: Logger;
  sequelize: Sequelize;
  redis: Redis;
  mail: MailPort;
  recordAuditEvent?: RecordAuditEvent;
  loginLimits?: ThrottleLimits;
  resetRequestLimits?: ResetRequestLimits;
};

/**
 * Wires sessions, CSRF and passport. `sessionAuthentication` must be mounted before any route that reads
 * req.principal; `http` is what the /api/v1/auth/* and /api/v1/invitations/* route declarations need.
 */
export function buildIdentityModule(infra: IdentityInfra): { sessionAuthentication: Router; http: AuthHttp } {
  const { config } = infra;
  const cookies = { secure: config.auth.secureCookies };
  const secret = config.secrets.session;
  const deps: AuthDeps = {
    runInScope: scopeRunner(infra.sequelize),
    sessions: new RedisSessionStore(infra.redis, secret, config.auth.sessionTtlSeconds),
    // Keys under the installation's Redis prefix (PIPELINE_QUEUE_PREFIX), like the web chat limit.
    throttle: new LoginThrottle(infra.redis, config.pipeline.queuePrefix, infra.loginLimits),
    resetRequests: new ResetRequestLimit(infra.redis, config.pipeline.queuePrefix, infra.resetRequestLimits ?? {
      ...DEFAULT_RESET_REQUEST_LIMITS,
      perAddress: { ...DEFAULT_RESET_REQUEST_LIMITS.perAddress, max: config.auth.resetRequestsPerAddress },
    }),
    recordAuditEvent: infra.recordAuditEvent ?? recordAuditEvent,
    mail: infra.mail,
    logger: infra.logger,
    publicUrl: config.publicUrl,
    portalUrl: config.portalUrl,
  };
  const passport = createPassport(deps, config, infra.redis, cookies);
  const sessionAuthentication = Router();
  sessionAuthentication.use(csrfProtection(secret), authenticateSession(deps, cookies));
  return {
    sessionAuthentication,
    http: { deps, passport, cookies, secret, googleEnabled: Boolean(config.auth.google) },
  };
}

import type { RunInScope } from '../../db/tenant-scope.js';
import type { Logger } from '../../logger.js';
import type { MailPort } from '../../ports/mail.js';
import type { RecordAuditEvent } from '../audit/types.js';
import type { LoginThrottle } from './login-throttle.js';
import type { ResetRequestLimit } from './reset-request-limit.js';
import type { RedisSessionStore } from './session-store.js';

/** What the identity use cases need; built once in the composition root. */
export type AuthDeps = {
  runInScope: RunInScope;
  sessions: RedisSessionStore;
  throttle: LoginThrottle;
  resetRequests: ResetRequestLimit;
  recordAuditEvent: RecordAuditEvent;
  mail: MailPort;
  logger: Logger;
  publicUrl: string;
  /** PORTAL_URL: invitation and password-reset links open portal pages. */
  portalUrl: string;
};

/** Where an (possibly anonymous) request came from, for the audit trail and throttling. */
export type RequestMeta = { requestId: string | null; ip: string | null };

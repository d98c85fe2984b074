import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../db/database-outage.js';
import type { Logger } from '../logger.js';

export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  /** The plan or the billing state refuses (modules/entitlements): details.code PLAN_LIMIT | FEATURE_NOT_IN_PLAN | SUBSCRIPTION_RESTRICTED, limit, current, upgradeUrl. */
  PAYMENT_REQUIRED: 402,
  FORBIDDEN: 403,
  CONSENT_REQUIRED: 403,
  TENANT_SUSPENDED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  LIMIT_EXCEEDED: 429,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
  /** A provider refused for a reason an operator must fix (invalid key, rejected request); details.reason says which. */
  UPSTREAM_FAILED: 502,
  DEPENDENCY_UNAVAILABLE: 503,
  /** A provider answered with an error while connecting or verifying credentials; details.provider names it. */
  PROVIDER_ERROR: 502,
  /** A provider could not be reached (network error, timeout) while connecting or verifying; details.provider names it. */
  PROVIDER_UNREACHABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export type FieldIssue = { path: string; message: string; code?: string };

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldIssue[] | Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_CODES[code];
  }
}

/** Provider names used in PROVIDER_ERROR / PROVIDER_UNREACHABLE details (free text allowed for new providers). */
export type ProviderName = 'telegram' | 'twilio' | 'whatsapp-cloud' | 'stripe' | 'openai' | 'llm' | (string & {});

/** The provider answered, but with an error (HTTP 5xx/4xx it should not have given, or a malformed answer): 502. */
export function providerError(provider: ProviderName, message: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError('PROVIDER_ERROR', message, { provider, ...extra });
}

/** The provider could not be reached (connection refused, DNS, timeout): 503, the client may retry later. */
export function providerUnreachable(provider: ProviderName, message: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError('PROVIDER_UNREACHABLE', message, { provider, ...extra }, { 'Retry-After': '30' });
}

export type ErrorBody = {
  error: { code: ErrorCode; message: string; details?: unknown; requestId?: string };
};

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('NOT_FOUND', `No route for ${req.method} ${req.path}`));
};

// What the client sent wrong, as body-parser (`type`) and the router report it: never a 500.
const CLIENT_ERROR_TYPES: Record<string, [ErrorCode, string]> = {
  'entity.too.large': ['PAYLOAD_TOO_LARGE', 'Request body is too large'],
  'parameters.too.many': ['PAYLOAD_TOO_LARGE', 'Request body has too many parameters'],
  'entity.parse.failed': ['VALIDATION_FAILED', 'Request body is not valid JSON'],
  'entity.too.deep': ['VALIDATION_FAILED', 'Request body nests too deeply'],
  'entity.verify.failed': ['VALIDATION_FAILED', 'Request body could not be read'],
  'request.aborted': ['VALIDATION_FAILED', 'The request was aborted before its body arrived'],
  'request.size.invalid': ['VALIDATION_FAILED', 'Request body is shorter or longer than its Content-Length'],
  'encoding.unsupported': ['UNSUPPORTED_MEDIA_TYPE', 'Unsupported Content-Encoding'],
  'charset.unsupported': ['UNSUPPORTED_MEDIA_TYPE', 'Unsupported charset'],
};

function fromHttpError(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { status, type, expose } = err as { status?: number; type?: string; expose?: boolean };
  const known = type ? CLIENT_ERROR_TYPES[type] : undefined;
  if (known) return new AppError(known[0], known[1], { reason: type });
  if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported content encoding or type');
  // The router: a path parameter that is not valid percent-encoding (`/agents/%ZZ`).
  if (err instanceof URIError && status === 400) return new AppError('VALIDATION_FAILED', 'The path is not valid percent-encoding', { reason: 'path.malformed' });
  // Other http-errors client errors from body parsing, e.g. a body that is not the gzip its Content-Encoding claims.
  if (expose === true && typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError('VALIDATION_FAILED', 'The request body could not be read (does it match its Content-Encoding and Content-Type?)', { reason: 'body.unreadable' });
  }
  return undefined;
}

// PostgreSQL restarting or unreachable: 503 + Retry-After, so providers (Twilio, Meta) and clients retry later.
function fromDatabaseOutage(err: unknown): AppError | undefined {
  if (!isDatabaseUnavailable(err)) return undefined;
  return new AppError('DEPENDENCY_UNAVAILABLE', 'The database is unavailable; retry shortly', { dependency: 'postgres' }, {
    'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS),
  });
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = err instanceof AppError ? err : (fromHttpError(err) ?? fromDatabaseOutage(err));
    const requestId = req.id ? String(req.id) : undefined;
    if (!appError) {
      logger.error({ err, requestId, method: req.method, path: req.path }, 'unhandled error');
      const body: ErrorBody = { error: { code: 'INTERNAL', message: 'Something went wrong on our side', requestId } };
      res.status(500).json(body);
      return;
    }
    if (appError.status >= 500) logger.error({ err: appError, requestId }, appError.message);
    for (const [name, value] of Object.entries(appError.headers ?? {})) res.setHeader(name, value);
    const body: ErrorBody = {
      error: { code: appError.code, message: appError.message, details: appError.details, requestId },
    };
    res.status(appError.status).json(body);
  };
}

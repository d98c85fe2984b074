// Shapes of the backend's answers, as far as the portal relies on them.

export type DependencyStatus = { ok: boolean; latencyMs: number; error?: string };

/** GET /readyz. The backend answers 200 with status "ok", or 503 naming the failing checks. */
export type Readiness = {
  status: 'ok' | 'unavailable' | 'degraded';
  checks: Record<string, DependencyStatus>;
};

/** One entry of a VALIDATION_FAILED error's `details`; `path` is like "body.email". */
export type FieldIssue = { path: string; message: string; code?: string };

export type Credentials = { email: string; password: string };

/** The backend's error envelope, `{ error: { code, message, details?, requestId } }`. */
export type ErrorEnvelope = {
  error: { code: string; message: string; details?: unknown; requestId?: string };
};

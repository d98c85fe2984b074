// Keys whose values never reach the audit trail (matched anywhere in the key, any case).
const SECRET_KEY = /pass(word|phrase)?|secret|token|hash|api[-_]?key|authorization|cookie|credential|private[-_]?key|otp/i;
export const REDACTED = '[redacted]';

/** A deep copy of `value` with secret-looking keys replaced, normalized to plain JSON. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner === undefined) continue;
      out[key] = SECRET_KEY.test(key) ? REDACTED : redactSecrets(inner);
    }
    return out;
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

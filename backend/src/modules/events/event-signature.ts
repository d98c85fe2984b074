import { createHmac, timingSafeEqual } from 'node:crypto';

// Webhook signatures: `X-Switchboard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
// The timestamp is signed too, so a captured delivery cannot be replayed outside the tolerance window.
// n8n's Switchboard trigger node implements the same check.
export const SIGNATURE_HEADER = 'X-Switchboard-Signature';

export function computeSignature(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

export function signEventPayload(secret: string, rawBody: string | Buffer, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${computeSignature(secret, timestamp, rawBody)}`;
}

/** True when `header` carries a v1 signature of `rawBody` by `secret` made within `toleranceSeconds` of now. */
export function verifyEventSignature(
  secret: string,
  header: string | undefined,
  rawBody: string | Buffer,
  toleranceSeconds = 300,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  if (!header) return false;
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(computeSignature(secret, timestamp, rawBody), 'hex');
  // Several v1 values may be present while a secret is being rotated: any match is enough.
  return parts
    .filter(([key, value]) => key === 'v1' && value && /^[0-9a-f]{64}$/i.test(value))
    .some(([, value]) => timingSafeEqual(Buffer.from(value!, 'hex'), expected));
}

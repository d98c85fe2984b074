import { createHmac, timingSafeEqual } from 'crypto';

// Event deliveries carry `X-Switchboard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`
// (backend: modules/events/event-signature.ts). The timestamp is signed too, so a captured delivery
// cannot be replayed outside the tolerance window.
export const SIGNATURE_HEADER = 'x-switchboard-signature';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureCheck =
	| { valid: true }
	| { valid: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

export function computeSignature(secret: string, timestamp: number, rawBody: Buffer | string): string {
	return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

export function signatureHeader(secret: string, timestamp: number, rawBody: Buffer | string): string {
	return `t=${timestamp},v1=${computeSignature(secret, timestamp, rawBody)}`;
}

/**
 * Checks the header against the raw body. Several v1 values may be present while a secret is being
 * rotated: any match is enough. Comparison is constant-time (crypto.timingSafeEqual).
 */
export function verifySignature(
	secret: string,
	header: string | undefined,
	rawBody: Buffer | string,
	nowSeconds: number,
	toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): SignatureCheck {
	if (!header) return { valid: false, reason: 'missing' };
	const parts = header.split(',').map((part) => {
		const [key, ...rest] = part.trim().split('=');
		return [key, rest.join('=')] as const;
	});
	const timestampText = parts.find(([key]) => key === 't')?.[1] ?? '';
	const candidates = parts
		.filter(([key, value]) => key === 'v1' && /^[0-9a-f]{64}$/i.test(value))
		.map(([, value]) => Buffer.from(value, 'hex'));
	if (!/^\d{1,12}$/.test(timestampText) || candidates.length === 0) {
		return { valid: false, reason: 'malformed' };
	}
	const timestamp = Number(timestampText);
	if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return { valid: false, reason: 'stale' };
	const expected = Buffer.from(computeSignature(secret, timestamp, rawBody), 'hex');
	const matches = candidates.some((candidate) => timingSafeEqual(candidate, expected));
	return matches ? { valid: true } : { valid: false, reason: 'mismatch' };
}

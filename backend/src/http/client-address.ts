import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger.js';

/**
 * The browser's address as the portal saw it, vouched for by the portal: `<address>;<unix ms>;<hmac>`
 * where hmac = HMAC-SHA256(CLIENT_ADDRESS_SECRET, "v1\n<address>\n<unix ms>") in hex. Only the portal
 * and the API know the secret, so no browser can choose the address its sign-ins are counted against.
 * The portal signs each call (portal/src/lib/server/client-address.ts); a proof older than a minute is ignored.
 */
export const CLIENT_ADDRESS_HEADER = 'x-switchboard-client-address';
export const CLIENT_ADDRESS_MAX_AGE_MS = 60_000;

export function signClientAddress(secret: string, address: string, nowMs = Date.now()): string {
  return `${address};${nowMs};${mac(secret, address, String(nowMs))}`;
}

/** The vouched-for address, or undefined when the proof is malformed, forged or stale. */
export function verifyClientAddress(secret: string, value: string, nowMs = Date.now()): string | undefined {
  const [address, timestamp, signature, ...rest] = value.split(';');
  if (!address || !timestamp || !signature || rest.length > 0 || isIP(address) === 0 || !/^\d{1,15}$/.test(timestamp)) return undefined;
  if (Math.abs(nowMs - Number(timestamp)) > CLIENT_ADDRESS_MAX_AGE_MS) return undefined;
  const expected = Buffer.from(mac(secret, address, timestamp), 'hex');
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? address : undefined;
}

function mac(secret: string, address: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`v1\n${address}\n${timestamp}`).digest('hex');
}

/**
 * Makes req.ip the portal's vouched-for client address when the proof is valid. Otherwise req.ip
 * stays what Express derives (the socket address, or X-Forwarded-For from a TRUSTED_PROXIES peer),
 * so every per-address limit (sign-in, password reset, web chat) and the audit trail use one address.
 */
export function trustedClientAddress(options: { secret?: string; logger: Logger }) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const proof = req.headers[CLIENT_ADDRESS_HEADER];
    if (typeof proof !== 'string') return next();
    const address = options.secret ? verifyClientAddress(options.secret, proof) : undefined;
    if (address) Object.defineProperty(req, 'ip', { value: address, configurable: true, enumerable: true });
    else options.logger.warn({ ip: req.ip, path: req.path }, `ignored an invalid or expired ${CLIENT_ADDRESS_HEADER} header`);
    next();
  };
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../../http/errors.js';
import { CSRF_COOKIE, hasBearerToken, readCookie, SESSION_COOKIE } from './cookies.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A random value plus its HMAC, so a cookie planted by a sibling sub-domain is not accepted. */
export function issueCsrfToken(secret: string): string {
  const nonce = randomBytes(24).toString('base64url');
  return `${nonce}.${sign(secret, nonce)}`;
}

function sign(secret: string, nonce: string): string {
  return createHmac('sha256', secret).update(`csrf:${nonce}`).digest('base64url');
}

function isAuthentic(secret: string, token: string): boolean {
  const [nonce, signature, extra] = token.split('.');
  if (!nonce || !signature || extra !== undefined) return false;
  return safeEqual(signature, sign(secret, nonce));
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Double-submit CSRF check for cookie-authenticated mutations: the x-csrf-token header must equal the
 * sb_csrf cookie and carry our signature. Requests without a session cookie have no ambient authority
 * to abuse, and bearer-token requests are not sent by browsers on their own: both are exempt.
 */
export function csrfProtection(secret: string): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || hasBearerToken(req) || !readCookie(req, SESSION_COOKIE)) return next();
    const header = req.get('x-csrf-token');
    const cookie = readCookie(req, CSRF_COOKIE);
    if (!header || !cookie || !safeEqual(header, cookie) || !isAuthentic(secret, header)) {
      throw new AppError('FORBIDDEN', 'Missing or invalid CSRF token: send the sb_csrf cookie value in the x-csrf-token header', {
        reason: 'csrf_token_invalid',
      });
    }
    next();
  };
}

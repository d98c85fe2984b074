import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import type { Redis } from 'ioredis';
import { OAUTH_STATE_COOKIE, readCookie, setOAuthStateCookie, type CookiePolicy } from './cookies.js';

type StoreCallback = (err: Error | null, state?: string) => void;
type VerifyCallback = (err: Error | null, ok: string | false, info?: { message: string } | object) => void;

const TTL_SECONDS = 10 * 60;

/**
 * passport-oauth2 state store (PKCE variant) without express-session: the state is a random value kept
 * in Redis with the PKCE verifier for ten minutes, and also set in a cookie, so the callback must come
 * back to the same browser (no login CSRF) and each state works once. What the start route passed as
 * `state` (an object, e.g. a self sign-up's plan and business name) is kept with the verifier, server-side,
 * and handed back on verify, where passport puts it in `info.state`: never read from the callback's query.
 */
export class RedisOAuthStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly cookies: CookiePolicy,
  ) {}

  // passport-oauth2 picks the call shape by arity: (req, verifier, state, meta, callback) with PKCE.
  store(req: Request, verifier: string, carried: unknown, _meta: unknown, callback: StoreCallback): void {
    const state = randomBytes(24).toString('base64url');
    // A plain verifier when nothing is carried: Google sign-in stores exactly what it always did.
    const value = carried && typeof carried === 'object' ? JSON.stringify({ verifier, carried }) : verifier;
    this.redis
      .set(key(state), value, 'EX', TTL_SECONDS)
      .then(() => {
        if (req.res) setOAuthStateCookie(req.res, this.cookies, state);
        callback(null, state);
      })
      .catch((err: Error) => callback(err));
  }

  verify(req: Request, providedState: string | undefined, callback: VerifyCallback): void {
    const invalid = { message: 'google_state_invalid' };
    if (!providedState || readCookie(req, OAUTH_STATE_COOKIE) !== providedState) return callback(null, false, invalid);
    this.redis
      .getdel(key(providedState))
      .then((value) => {
        if (!value) return callback(null, false, invalid);
        if (!value.startsWith('{')) return callback(null, value);
        const { verifier, carried } = JSON.parse(value) as { verifier: string; carried: object };
        callback(null, verifier, carried);
      })
      .catch((err: Error) => callback(err, false));
  }
}

function key(state: string): string {
  return `sb:oauth-state:${state}`;
}

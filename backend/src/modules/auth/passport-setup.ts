import type { Request, Response } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Config } from '../../config.js';
import type { Redis } from 'ioredis';
import type { AuthDeps } from './auth-deps.js';
import { readCookie, SESSION_COOKIE, type CookiePolicy } from './cookies.js';
import { createGoogleStrategy } from './google-strategy.js';
import { logInWithPassword } from './log-in-with-password.js';
import { RedisOAuthStateStore } from './oauth-state-store.js';

export function requestMeta(req: Request): { requestId: string | null; ip: string | null } {
  return { requestId: req.id ? String(req.id) : null, ip: req.ip ?? null };
}

/**
 * One passport instance for the API, used without passport's own sessions (ours live in Redis):
 * "local" (email + password) and, when configured, "google".
 */
export function createPassport(
  deps: AuthDeps,
  config: Pick<Config, 'publicUrl' | 'auth'>,
  redis: Redis,
  cookies: CookiePolicy,
): passport.Authenticator {
  const instance = new passport.Authenticator();
  instance.use(
    'local',
    new LocalStrategy({ usernameField: 'email', passwordField: 'password', passReqToCallback: true }, (req, email, password, done) => {
      logInWithPassword(deps, { email, password, previousSessionId: readCookie(req, SESSION_COOKIE), meta: requestMeta(req) }).then(
        (signedIn) => done(null, signedIn),
        (err: unknown) => done(err),
      );
    }),
  );
  if (config.auth.google) {
    instance.use('google', createGoogleStrategy(config.auth.google, config.publicUrl, new RedisOAuthStateStore(redis, cookies)));
  }
  return instance;
}

export type Authenticated = { user: unknown; info: unknown };

/** Runs a strategy as a promise: resolves with its user (false on failure) or rejects on error; redirects end the response. */
export function runStrategy(instance: passport.Authenticator, name: string, req: Request, res: Response): Promise<Authenticated> {
  return new Promise((resolve, reject) => {
    const middleware = instance.authenticate(name, { session: false }, (err: unknown, user: unknown, info: unknown) => {
      if (err) reject(err);
      else resolve({ user, info });
    });
    middleware(req, res, (err?: unknown) => (err ? reject(err) : resolve({ user: false, info: undefined })));
  });
}

import { Router, type Request } from 'express';
import type { Redis } from 'ioredis';
import { AppError } from '../../http/errors.js';
import { WIDGET_SCRIPT } from './widget-script.js';

/** Web chat calls per client address per minute (WEB_CHAT_RATE_PER_MINUTE): a visitor polls every 2 s (30/min). */
export type RateLimits = { redis: Redis; prefix: string; perMinute: number };

/** A fixed one-minute window per client address in Redis, shared by every API process. */
async function withinRate(limits: RateLimits, req: Request): Promise<{ ok: boolean; retryAfterSeconds: number }> {
  const now = Date.now();
  const key = `${limits.prefix}:webchat:rate:${req.ip ?? 'unknown'}:${Math.floor(now / 60_000)}`;
  const count = await limits.redis.incr(key);
  if (count === 1) await limits.redis.expire(key, 70);
  return { ok: count <= limits.perMinute, retryAfterSeconds: Math.ceil((60_000 - (now % 60_000)) / 1000) };
}

/**
 * The widget script, CORS and a per-address rate limit for the web chat API: the widget runs on the tenant's own
 * site (any origin) and calls us without cookies, so `*` is safe here and only here.
 */
export function webChatWidgetRouter(limits?: RateLimits): Router {
  const router = Router();
  router.get('/widget.js', (_req, res) => {
    res.type('application/javascript').set('Cache-Control', 'public, max-age=300').set('Cross-Origin-Resource-Policy', 'cross-origin').send(WIDGET_SCRIPT);
  });
  router.use('/api/v1/web-chat', (req, res, next) => {
    res.set({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'POST, OPTIONS', 'Access-Control-Allow-Headers': 'content-type', 'Access-Control-Max-Age': '600' });
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    if (!limits) return next();
    // Public routes: a per-address budget keeps one visitor (or a script) from flooding a tenant's inbox.
    withinRate(limits, req).then(({ ok, retryAfterSeconds }) => {
      if (ok) return next();
      next(new AppError('TOO_MANY_REQUESTS', 'Too many chat requests from this address: wait a moment', { reason: 'web_chat_rate_limited' }, { 'Retry-After': String(retryAfterSeconds) }));
    }, next);
  });
  return router;
}

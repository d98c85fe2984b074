import type { Request, RequestHandler } from 'express';
import { httpRequestDuration } from './metrics.js';

/**
 * Times every request into switchboard_http_request_duration_seconds. The route label is the matched
 * route's template (/api/v1/contacts/:id), never the raw path: unmatched requests (404s, scanners) all
 * count as "unmatched", so a stranger cannot grow the label set.
 */
export const httpMetrics: RequestHandler = (req, res, next) => {
  const stop = httpRequestDuration.startTimer();
  res.once('finish', () => {
    stop({ method: req.method, route: routeTemplate(req), status_class: `${Math.floor(res.statusCode / 100)}xx` });
  });
  next();
};

export function routeTemplate(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string') return 'unmatched';
  return `${req.baseUrl ?? ''}${path}` || '/';
}

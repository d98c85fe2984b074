import type { RequestHandler } from 'express';

/**
 * What other sites load from us: the web chat widget's script (<script src>) and the API it calls
 * (CORS, see web-chat/widget-routes.ts). Framing rules and a CSP make no sense there; nosniff does.
 */
const EMBEDDABLE = /^\/(?:widget\.js$|api\/v1\/web-chat(?:\/|$))/;

/**
 * The API's own security headers, set on every response (errors and 404s included), so no deployment
 * depends on a proxy adding them. The proxy (Caddy) adds only HSTS; the portal sends its own set.
 * The API serves JSON, CSV and media, never HTML: nothing of it may run scripts or be framed.
 */
export const securityHeaders: RequestHandler = (req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  if (!EMBEDDABLE.test(req.path)) {
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  }
  next();
};

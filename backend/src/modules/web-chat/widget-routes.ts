import { Router } from 'express';
import { WIDGET_SCRIPT } from './widget-script.js';

/**
 * The widget script and CORS for the web chat API: the widget runs on the tenant's own site (any origin)
 * and calls us without cookies, so `*` is safe here and only here.
 */
export function webChatWidgetRouter(): Router {
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
    next();
  });
  return router;
}

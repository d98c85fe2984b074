import { Router } from 'express';
import { checkReadiness, type DependencyProbe } from './check-readiness.js';

export function healthRoutes(dependencies: DependencyProbe[], timeoutMs: number): Router {
  const router = Router();
  // Liveness: the process serves HTTP. Nothing else, so an outage elsewhere does not restart us.
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Readiness: every dependency answers; 503 names the ones that do not.
  router.get('/readyz', async (_req, res) => {
    const readiness = await checkReadiness(dependencies, timeoutMs);
    res.status(readiness.status === 'ok' ? 200 : 503).json(readiness);
  });
  return router;
}

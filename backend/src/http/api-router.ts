import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Sequelize } from 'sequelize';
import { scopeRunner } from '../db/tenant-scope.js';
import { bearerAuthentication, redisLastUseThrottle } from '../modules/service-tokens/bearer-authentication.js';
import { buildOpenApiDocument } from './openapi.js';
import { mountRoutes, type RouteSpec } from './route-registry.js';

/** Service-token authentication: must be mounted before the API routes. */
export function serviceTokenAuthRouter(infra: { sequelize: Sequelize; redis: Redis }): Router {
  const router = Router();
  router.use(bearerAuthentication({ runInScope: scopeRunner(infra.sequelize), shouldRecordUse: redisLastUseThrottle(infra.redis) }));
  return router;
}

/** The declared API routes and their OpenAPI document. */
export function declaredApiRouter(routes: readonly RouteSpec[], infra: { publicUrl: string }): Router {
  const router = mountRoutes(routes);
  const document = buildOpenApiDocument(routes, { version: '0.1.0', serverUrl: infra.publicUrl });
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  return router;
}

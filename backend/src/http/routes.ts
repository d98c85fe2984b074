import type { Router } from 'express';
import type { Container } from '../container.js';
import { buildIdentityModule } from '../modules/auth/identity-module.js';
import { healthRoutes } from '../modules/health/routes.js';
import { declaredApiRouter, serviceTokenAuthRouter } from './api-router.js';

/** Every module's router, in mount order. */
export function buildRouters(container: Container): Router[] {
  const identity = buildIdentityModule(container);
  return [
    healthRoutes(container.readinessProbes, container.config.readinessTimeoutMs),
    identity.sessionAuthentication,
    serviceTokenAuthRouter(container),
    declaredApiRouter({ sequelize: container.sequelize, publicUrl: container.config.publicUrl }),
    ...identity.routes,
  ];
}

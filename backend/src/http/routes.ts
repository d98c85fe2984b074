import type { Router } from 'express';
import type { Container } from '../container.js';
import { healthRoutes } from '../modules/health/routes.js';

/** Every module's router, in mount order. */
export function buildRouters(container: Container): Router[] {
  return [healthRoutes(container.readinessProbes, container.config.readinessTimeoutMs)];
}

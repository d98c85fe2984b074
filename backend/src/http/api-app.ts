import type { Express } from 'express';
import type { Container } from '../container.js';
import { createApp } from './app.js';
import { buildRouters } from './routes.js';

/** The API app exactly as the server runs it (src/server.ts); tests that need "the production app" build it here. */
export function createApiApp(container: Container): Express {
  const { config } = container;
  return createApp({
    logger: container.logger,
    routers: buildRouters(container),
    trustedProxies: config.http.trustedProxies,
    clientAddressSecret: config.secrets.clientAddress,
  });
}

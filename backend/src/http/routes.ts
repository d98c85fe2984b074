import type { Router } from 'express';
import type { Container } from '../container.js';
import { scopeRunner } from '../db/tenant-scope.js';
import { buildIdentityModule } from '../modules/auth/identity-module.js';
import { healthRoutes } from '../modules/health/routes.js';
import { applyProviderStatus } from '../modules/messages/apply-provider-status.js';
import { receiveInbound } from '../modules/messages/receive-inbound.js';
import { enqueueOutbox } from '../modules/outbox/enqueue-outbox.js';
import { twilioWebhookRouter } from '../modules/twilio/webhook-routes.js';
import { declaredApiRouter, serviceTokenAuthRouter } from './api-router.js';
import { apiRoutes } from './api-routes.js';
import type { RouteSpec } from './route-registry.js';

/** Every module's router, in mount order, and the declared /api/v1 routes among them (for tests and docs). */
export function buildApi(container: Container): { routers: Router[]; routes: RouteSpec[] } {
  const identity = buildIdentityModule(container);
  const routes = apiRoutes({
    runInScope: scopeRunner(container.sequelize),
    identity: identity.http,
    encryptionKey: container.config.secrets.encryptionKey,
    events: container.events,
    enqueueOutbox,
    voice: container.voice,
    llm: container.llm,
    priceOverride: container.config.llm.pricePerMillion,
    payments: container.payments,
    fallbackSecretKey: container.config.stripe.secretKey,
  });
  return {
    routes,
    routers: [
      healthRoutes(container.readinessProbes, container.config.readinessTimeoutMs),
      // Public, signature-authenticated (no session, no CSRF): mounted before authentication.
      twilioWebhookRouter(twilioWebhookDeps(container)),
      identity.sessionAuthentication,
      serviceTokenAuthRouter(container),
      declaredApiRouter(routes, { publicUrl: container.config.publicUrl }),
    ],
  };
}

function twilioWebhookDeps(container: Container) {
  const messaging = { runInScope: scopeRunner(container.sequelize), events: container.events, enqueueOutbox };
  return {
    ...messaging,
    encryptionKey: container.config.secrets.encryptionKey,
    publicUrl: container.config.publicUrl,
    missedCallMaxSeconds: container.config.twilio.missedCallMaxSeconds,
    receiveInbound: (inbound: Parameters<typeof receiveInbound>[1]) => receiveInbound(messaging, inbound),
    applyProviderStatus: (update: Parameters<typeof applyProviderStatus>[1]) => applyProviderStatus(messaging, update),
  };
}

export function buildRouters(container: Container): Router[] {
  return buildApi(container).routers;
}

import type { Router } from 'express';
import type { Container } from '../container.js';
import { scopedStatementRunner, scopeRunner } from '../db/tenant-scope.js';
import { buildIdentityModule } from '../modules/auth/identity-module.js';
import { healthRoutes } from '../modules/health/routes.js';
import { applyProviderStatus } from '../modules/messages/apply-provider-status.js';
import { InboundBatcher } from '../modules/inbound/inbound-batcher.js';
import { queueInbound } from '../modules/inbound/queue-inbound.js';
import type { InboundMessage } from '../modules/messages/receive-inbound.js';
import { enqueueOutbox } from '../modules/outbox/enqueue-outbox.js';
import { WebhookSignerCache } from '../modules/twilio/webhook-signer-cache.js';
import { twilioWebhookRouter } from '../modules/twilio/webhook-routes.js';
import { signTwilioWebhook } from '../adapters/telephony/twilio-webhook-signer.js';
import { stripeWebhookRouter } from '../modules/payments/stripe-webhook-routes.js';
import { stripeBillingWebhookRouter } from '../modules/subscriptions/webhook-routes.js';
import { DEFAULT_SIGNUP_REQUEST_LIMITS, SignupRequestLimit } from '../modules/self-signup/signup-request-limit.js';
import { whatsappCloudWebhookRouter } from '../modules/whatsapp-cloud/webhook-routes.js';
import { telegramWebhookRouter } from '../modules/telegram/webhook-routes.js';
import { webChatWidgetRouter } from '../modules/web-chat/widget-routes.js';
import { linkedDeviceBus } from '../modules/whatsapp-linked/linked-device-bus.js';
import { declaredApiRouter, serviceTokenAuthRouter } from './api-router.js';
import { apiRoutes } from './api-routes.js';
import type { RouteSpec } from './route-registry.js';

/** When this process started (the System health page's API uptime). */
const API_STARTED_AT = new Date();

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
    llms: container.llms,
    priceOverride: container.config.llm.pricePerMillion,
    payments: container.payments,
    fallbackSecretKey: container.config.stripe.secretKey,
    billing: agencyBilling(container),
    subscriptions: { mail: container.mail, portalUrl: container.config.portalUrl },
    selfSignup: { limits: signupLimits(container) },
    telegram: { admin: container.telegramAdmin, publicUrl: container.config.publicUrl, updates: container.config.telegram.updates },
    whatsappBus: linkedDeviceBus(container.redis, container.config.pipeline.queuePrefix),
    twilioAccount: twilioAccountDeps(container),
    systemHealth: {
      redis: container.redis, probes: container.readinessProbes, probeTimeoutMs: container.config.readinessTimeoutMs, startedAt: API_STARTED_AT,
      queuePrefix: container.config.pipeline.queuePrefix, config: container.config.systemHealth,
    },
  });
  return {
    routes,
    routers: [
      healthRoutes(container.readinessProbes, container.config.readinessTimeoutMs),
      // Public, signature-authenticated (no session, no CSRF): mounted before authentication.
      twilioWebhookRouter(twilioWebhookDeps(container)),
      whatsappCloudWebhookRouter(inboundWebhookDeps(container)),
      telegramWebhookRouter(inboundWebhookDeps(container)),
      stripeWebhookRouter({
        runInScope: scopeRunner(container.sequelize), events: container.events, logger: container.logger, payments: container.payments,
        encryptionKey: container.config.secrets.encryptionKey, fallbackSecretKey: container.config.stripe.secretKey,
        fallbackWebhookSecret: container.config.stripe.webhookSecret,
      }),
      // The agency's Stripe account: its clients' subscriptions (Checkout, renewals, dunning).
      stripeBillingWebhookRouter({
        runInScope: scopeRunner(container.sequelize), events: container.events, logger: container.logger, mail: container.mail,
        encryptionKey: container.config.secrets.encryptionKey, billing: agencyBilling(container), portalUrl: container.config.portalUrl,
      }),
      // The web chat widget (public script, CORS for its API calls): before authentication.
      webChatWidgetRouter({ redis: container.redis, prefix: container.config.pipeline.queuePrefix, perMinute: container.config.agents.webChatRatePerMinute }),
      identity.sessionAuthentication,
      serviceTokenAuthRouter(container),
      declaredApiRouter(routes, { publicUrl: container.config.publicUrl }),
    ],
  };
}

/** Self sign-up requests mail an address, as password resets do: RESET_REQUESTS_PER_ADDRESS bounds both per client address. */
function signupLimits(container: Container) {
  const perAddress = { ...DEFAULT_SIGNUP_REQUEST_LIMITS.perAddress, max: container.config.auth.resetRequestsPerAddress };
  return new SignupRequestLimit(container.redis, container.config.pipeline.queuePrefix, { ...DEFAULT_SIGNUP_REQUEST_LIMITS, perAddress });
}

function agencyBilling(container: Container) {
  const { stripe } = container.config;
  return { port: container.billing, fallbackSecretKey: stripe.secretKey, fallbackWebhookSecret: stripe.webhookSecret };
}

function twilioAccountDeps(container: Container) {
  const { config } = container;
  const host = ['0.0.0.0', '::', ''].includes(config.http.host) ? '127.0.0.1' : config.http.host;
  return {
    numberAdmin: container.phoneNumberAdmin, publicUrl: config.publicUrl, twilioApiBaseUrl: config.twilio.apiBaseUrl,
    selfUrl: `http://${host.includes(':') ? `[${host}]` : host}:${config.http.port}`, signWebhook: signTwilioWebhook,
  };
}

/** How long a number's Twilio credentials are reused for webhook signatures (see WebhookSignerCache). */
const TWILIO_SIGNER_TTL_MS = 5_000;

function twilioWebhookDeps(container: Container) {
  const messaging = { runInScope: scopeRunner(container.sequelize), events: container.events, enqueueOutbox };
  const inboundBatcher = new InboundBatcher(scopedStatementRunner(container.sequelize));
  return {
    ...messaging,
    encryptionKey: container.config.secrets.encryptionKey,
    publicUrl: container.config.publicUrl,
    missedCallMaxSeconds: container.config.twilio.missedCallMaxSeconds,
    signerCache: new WebhookSignerCache(TWILIO_SIGNER_TTL_MS),
    acceptInbound: (inbound: InboundMessage) => queueInbound({ inboundBatcher }, inbound),
    applyProviderStatus: (update: Parameters<typeof applyProviderStatus>[1]) => applyProviderStatus(messaging, update),
  };
}

/** What the non-Twilio provider webhooks (WhatsApp Cloud API, Telegram) need: scope, secrets, inbound queue, statuses. */
function inboundWebhookDeps(container: Container) {
  const twilio = twilioWebhookDeps(container);
  return { runInScope: twilio.runInScope, encryptionKey: twilio.encryptionKey, acceptInbound: twilio.acceptInbound, applyProviderStatus: twilio.applyProviderStatus };
}

export function buildRouters(container: Container): Router[] {
  return buildApi(container).routers;
}

import type { ScopedDeps } from '../db/scoped-deps.js';
import { agencyOverviewRoutes } from '../modules/agency-overview/routes.js';
import { aiRoutes } from '../modules/ai/routes.js';
import { aiProviderRoutes } from '../modules/ai-provider/routes.js';
import type { TenantLlms } from '../modules/ai-provider/tenant-llms.js';
import type { TokenPrice } from '../modules/ai/estimate-cost.js';
import { auditRoutes } from '../modules/audit/routes.js';
import { bookingRoutes } from '../modules/booking/routes.js';
import { callRoutes } from '../modules/calls/routes.js';
import { eventSubscriptionRoutes } from '../modules/events/routes.js';
import { authRouteSpecs, type AuthHttp } from '../modules/auth/routes.js';
import { consentRoutes } from '../modules/consent/routes.js';
import { contactTimelineRoutes } from '../modules/contact-timeline/routes.js';
import { contactRoutes } from '../modules/contacts/routes.js';
import { featureFlagRoutes } from '../modules/feature-flags/routes.js';
import { invitationRouteSpecs } from '../modules/invitations/routes.js';
import { agencyMembershipRoutes, tenantMembershipRoutes } from '../modules/memberships/routes.js';
import type { MessagingDeps } from '../modules/messages/messaging-deps.js';
import { messageRoutes } from '../modules/messages/routes.js';
import { paymentRoutes } from '../modules/payments/routes.js';
import { planRoutes } from '../modules/plans/routes.js';
import { entitlementRoutes } from '../modules/entitlements/routes.js';
import { billingAccountRoutes } from '../modules/billing-account/routes.js';
import type { AgencyBillingDeps } from '../modules/billing-account/billing-account-deps.js';
import { subscriptionRoutes } from '../modules/subscriptions/routes.js';
import { selfSignupRoutes } from '../modules/self-signup/routes.js';
import type { SignupRequestLimit } from '../modules/self-signup/signup-request-limit.js';
import type { MailPort } from '../ports/mail.js';
import { messagingSettingsRoutes } from '../modules/policy/routes.js';
import { providerCredentialRoutes, type TwilioAccountDeps } from '../modules/provider-credentials/routes.js';
import { serviceTokenRoutes } from '../modules/service-tokens/routes.js';
import { tenantRoutes } from '../modules/tenants/routes.js';
import { whatsappCloudRoutes } from '../modules/whatsapp-cloud/routes.js';
import { telegramRoutes } from '../modules/telegram/routes.js';
import { statsRoutes } from '../modules/stats/routes.js';
import { agentRoutes } from '../modules/agents/routes.js';
import { automationTemplateRoutes } from '../modules/automation-templates/routes.js';
import { automationRunRoutes } from '../modules/automation-runs/routes.js';
import { channelRoutes } from '../modules/channels/routes.js';
import { webChatRoutes } from '../modules/web-chat/routes.js';
import { linkedDeviceRoutes } from '../modules/whatsapp-linked/routes.js';
import type { LinkedDeviceBus } from '../modules/whatsapp-linked/linked-device-bus.js';
import type { TelegramBotAdmin } from '../adapters/messaging/telegram-bot-admin.js';
import type { PaymentsPort } from '../ports/payments.js';
import type { VoicePort } from '../ports/voice.js';
import { systemHealthRoutes } from '../modules/system-health/routes.js';
import type { SystemHealthDeps } from '../modules/system-health/read-system-health.js';
import type { RouteSpec } from './route-registry.js';

export type ApiRouteDeps = ScopedDeps & { identity: AuthHttp; encryptionKey: Buffer; voice: VoicePort } & Pick<MessagingDeps, 'events' | 'enqueueOutbox'> & {
  /** The model per tenant (saved settings, else LLM_* env). */
  llms: TenantLlms;
  /** LLM_PRICE_*_PER_MTOK, when set. */
  priceOverride?: TokenPrice;
  payments: PaymentsPort;
  /** STRIPE_SECRET_KEY: for tenants without their own Stripe key. */
  fallbackSecretKey?: string;
  /** The agency's catalogue in its Stripe account (its own key, else STRIPE_SECRET_KEY). */
  billing: AgencyBillingDeps;
  /** Tenant billing through Stripe: past-due mail to the owners, and the portal's URL Checkout returns to. */
  subscriptions: { mail: MailPort; portalUrl: string };
  /** Self sign-up's per-address and per-e-mail request limits (Redis). */
  selfSignup: { limits: SignupRequestLimit };
  telegram: { admin: TelegramBotAdmin; publicUrl: string; updates: 'webhook' | 'polling' };
  /** Commands to and updates from the worker that holds a tenant's linked WhatsApp session. */
  whatsappBus: LinkedDeviceBus;
  /** Twilio connect (verify, numbers, webhooks) and "Send a test missed call". */
  twilioAccount: Omit<TwilioAccountDeps, 'runInScope' | 'encryptionKey'>;
  /** The System health page: Redis, readiness probes, the worker's heartbeat, disk and backup paths. */
  systemHealth: Omit<SystemHealthDeps, 'runInScope'>;
};

/**
 * The one registry: every /api/v1 route, public ones included. Mounted, documented in /openapi.json and
 * walked by the test matrices; a test fails if Express serves an /api/v1 route missing here.
 */
export function apiRoutes(deps: ApiRouteDeps): RouteSpec[] {
  return [
    ...authRouteSpecs(deps.identity),
    ...invitationRouteSpecs(deps.identity.deps),
    // Before tenantRoutes: /agency/tenants/:tenantId would otherwise swallow /agency/tenants/health.
    ...agencyOverviewRoutes(deps),
    ...tenantRoutes(deps),
    ...agencyMembershipRoutes(deps),
    ...tenantMembershipRoutes(deps),
    ...serviceTokenRoutes(deps),
    ...auditRoutes(deps),
    ...featureFlagRoutes(deps),
    ...eventSubscriptionRoutes(deps),
    ...providerCredentialRoutes({ ...deps, ...deps.twilioAccount }),
    ...whatsappCloudRoutes(deps),
    ...telegramRoutes({ ...deps, ...deps.telegram }),
    ...callRoutes(deps),
    ...contactRoutes(deps),
    ...contactTimelineRoutes(deps),
    ...consentRoutes(deps),
    ...messageRoutes(deps),
    ...messagingSettingsRoutes(deps),
    ...aiRoutes(deps),
    ...aiProviderRoutes(deps),
    ...paymentRoutes(deps),
    ...billingAccountRoutes(deps),
    ...planRoutes(deps),
    ...entitlementRoutes(deps),
    ...subscriptionRoutes({ ...deps, ...deps.subscriptions }),
    ...selfSignupRoutes({
      ...deps, ...deps.subscriptions, auth: deps.identity.deps, cookies: deps.identity.cookies, limits: deps.selfSignup.limits, logger: deps.identity.deps.logger,
    }),
    ...bookingRoutes(deps),
    ...statsRoutes(deps),
    ...agentRoutes(deps),
    ...automationTemplateRoutes(deps),
    ...automationRunRoutes(deps),
    ...channelRoutes(deps),
    ...webChatRoutes({ ...deps, encryptionKey: deps.encryptionKey }),
    ...linkedDeviceRoutes({ ...deps, bus: deps.whatsappBus }),
    ...systemHealthRoutes({ ...deps, ...deps.systemHealth }),
  ];
}

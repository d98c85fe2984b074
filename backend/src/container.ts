import type { Redis } from 'ioredis';
import type { Sequelize } from 'sequelize';
import { llmFactory } from './adapters/llm/select-llm.js';
import { selectMail } from './adapters/mail/select-mail.js';
import { StripePayments } from './adapters/payments/stripe.js';
import { StripeBilling } from './adapters/billing/stripe-billing.js';
import type { BillingPort } from './ports/billing.js';
import type { Config } from './config.js';
import { createSequelize } from './db/sequelize.js';
import { scopeRunner } from './db/tenant-scope.js';
import { createRedis } from './infra/redis.js';
import { createLogger, type Logger } from './logger.js';
import { TenantLlms } from './modules/ai-provider/tenant-llms.js';
import { outboxEventBus } from './modules/events/publish-event.js';
import type { DependencyProbe } from './modules/health/check-readiness.js';
import { n8nProbe, postgresProbe, redisProbe } from './modules/health/probes.js';
import type { EventBus } from './ports/events.js';
import type { MailPort } from './ports/mail.js';
import type { PaymentsPort } from './ports/payments.js';
import type { VoicePort } from './ports/voice.js';
import { TwilioVoice } from './adapters/voice/twilio.js';
import { TelegramBotAdmin } from './adapters/messaging/telegram-bot-admin.js';
import { TwilioNumberAdmin } from './adapters/telephony/twilio-number-admin.js';
import type { PhoneNumberAdmin } from './ports/phone-numbers.js';

/** The composition root: the one place that builds infrastructure and picks adapters from config. */
export type Container = {
  config: Config;
  logger: Logger;
  sequelize: Sequelize;
  redis: Redis;
  readinessProbes: DependencyProbe[];
  mail: MailPort;
  /** Domain events: stored in the caller's transaction, relayed by the worker. */
  events: EventBus;
  /** Outbound calls (Twilio; the API base URL points at the fake in tests). */
  voice: VoicePort;
  /** The LLM per tenant (OpenAI-compatible): the tenant's or agency's saved settings, else LLM_* env (unconfigured without LLM_API_KEY). */
  llms: TenantLlms;
  /** Payment links (Stripe; the key comes per tenant or from STRIPE_SECRET_KEY). */
  payments: PaymentsPort;
  /** The agency's plans as Stripe products and prices (the key comes per agency or from STRIPE_SECRET_KEY). */
  billing: BillingPort;
  /** Telegram bot administration (connect, webhook, long polling); TELEGRAM_API_ROOT points at the fake in tests. */
  telegramAdmin: TelegramBotAdmin;
  /** Twilio account checks: verify credentials, list numbers, set a number's webhooks. */
  phoneNumberAdmin: PhoneNumberAdmin;
  close: () => Promise<void>;
};

export function createContainer(config: Config, name = 'switchboard-api'): Container {
  const logger = createLogger(config, name);
  // Bounded waits: while PostgreSQL is away a request fails within seconds (503 + Retry-After) instead of hanging.
  const sequelize = createSequelize(config.database.url, logger, { acquireMs: 10_000, queryTimeoutMs: 30_000 });
  const redis = createRedis(config.redis.url);
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection problem'));
  return {
    config,
    logger,
    sequelize,
    redis,
    readinessProbes: [postgresProbe(sequelize), redisProbe(redis), n8nProbe(config.n8n.internalUrl)],
    mail: selectMail(config.mail, logger),
    events: outboxEventBus(sequelize),
    voice: new TwilioVoice({ publicUrl: config.publicUrl, apiBaseUrl: config.twilio.apiBaseUrl }),
    llms: new TenantLlms({ runInScope: scopeRunner(sequelize), encryptionKey: config.secrets.encryptionKey, env: config.llm, build: llmFactory(config.llm) }),
    payments: new StripePayments({ apiBaseUrl: config.stripe.apiBaseUrl, timeoutMs: config.stripe.timeoutMs }),
    billing: new StripeBilling({ apiBaseUrl: config.stripe.apiBaseUrl, timeoutMs: config.stripe.timeoutMs }),
    telegramAdmin: new TelegramBotAdmin({ apiRoot: config.telegram.apiRoot }),
    phoneNumberAdmin: new TwilioNumberAdmin({ apiBaseUrl: config.twilio.apiBaseUrl }),
    close: async () => {
      await Promise.allSettled([sequelize.close(), redis.quit()]);
    },
  };
}

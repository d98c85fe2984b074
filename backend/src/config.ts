import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { dirname } from 'node:path';
import { z } from 'zod';

// The one place that reads process.env: everything else receives a typed Config.
const base64Key32 = z
  .string()
  .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)');

const schema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('production'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: z.url({ message: 'must be the public base URL, e.g. https://switchboard.example.com' }),
  // Where people open the portal (invitation and password-reset links); default PUBLIC_URL (Caddy serves both there).
  PORTAL_URL: z.url({ message: 'must be the portal base URL, e.g. http://127.0.0.1:3000' }).optional(),
  API_HOST: z.string().min(1).default('0.0.0.0'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  MIGRATION_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters (openssl rand -base64 48)'),
  // Shared with the portal only: it signs the browser's address on each call (http/client-address.ts).
  CLIENT_ADDRESS_SECRET: z.string().min(32, 'must be at least 32 characters, the same value as the portal (openssl rand -base64 48)'),
  // Password-reset requests one client address may make per 15 minutes (then 429).
  RESET_REQUESTS_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(10),
  // Peers whose X-Forwarded-For is believed: none unless listed (compose lists Caddy's networks).
  TRUSTED_PROXIES: z.string().default('none').transform((value, ctx) => parseTrustedProxies(value, ctx)),
  ENCRYPTION_KEY: base64Key32,
  N8N_INTERNAL_URL: z.url().default('http://127.0.0.1:5678'),
  // n8n's public base (https://N8N_DOMAIN): event deliveries to n8n webhooks under it go to N8N_INTERNAL_URL instead.
  N8N_PUBLIC_URL: z.url().optional(),
  READINESS_TIMEOUT_MS: z.coerce.number().int().positive().default(2000),
  SEED_ADMIN_EMAIL: z.email().default('admin@switchboard.local'),
  SEED_ADMIN_PASSWORD: z.string().min(12).optional(),
  // Identity (modules/auth, modules/invitations)
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  GOOGLE_AUTHORIZATION_URL: z.url().optional(),
  GOOGLE_TOKEN_URL: z.url().optional(),
  GOOGLE_USERINFO_URL: z.url().optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().min(3).default('Switchboard <no-reply@switchboard.local>'),
  // Send pipeline and event bus (worker); the defaults suit production, tests shorten them.
  PIPELINE_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(10),
  PIPELINE_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  PIPELINE_RELAY_LEASE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  PIPELINE_JOB_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  PIPELINE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
  PIPELINE_RETRY_BASE_MS: z.coerce.number().int().min(1).max(600_000).default(2_000),
  PIPELINE_QUEUE_PREFIX: z.string().regex(/^[a-zA-Z0-9:_-]{1,64}$/).default('sb'),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // Twilio (SMS, voice): the API base URL is only changed for the fake Twilio in tests and demos.
  TWILIO_API_BASE_URL: z.url().optional(),
  TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
  TELEGRAM_UPDATES: z.enum(['auto', 'webhook', 'polling']).default('auto'),
  MISSED_CALL_MAX_SECONDS: z.coerce.number().int().min(0).max(600).default(10),
  // LLM (OpenAI-compatible chat completions): without LLM_API_KEY the AI routes answer 503 llm_not_configured.
  LLM_BASE_URL: z.url().default('https://api.openai.com/v1'),
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_MODEL: z.string().min(1).max(100).default('gpt-4o-mini'),
  LLM_FALLBACK_MODEL: z.string().min(1).max(100).optional(),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  LLM_MAX_RETRY_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(20_000),
  // AI agents (worker): conversations one worker answers at once (a turn mostly waits for the model).
  AGENT_CONCURRENCY: z.coerce.number().int().min(1).max(2000).default(100),
  AGENT_TURN_LEASE_SECONDS: z.coerce.number().int().min(10).max(3600).default(180),
  AGENT_POLL_MS: z.coerce.number().int().min(20).max(60_000).default(250),
  // Public web chat (widget) requests per client address per minute.
  WEB_CHAT_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  LLM_PRICE_INPUT_PER_MTOK: z.coerce.number().min(0).optional(),
  LLM_PRICE_OUTPUT_PER_MTOK: z.coerce.number().min(0).optional(),
  // Stripe (payment links): a tenant's own key (provider credentials) wins over the agency-wide one.
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_\w+$/, 'must be a Stripe secret key (sk_test_..., sk_live_... or rk_...)').optional(),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_\w+$/, 'must be a Stripe webhook signing secret (whsec_...)').optional(),
  STRIPE_API_BASE_URL: z.url().optional(),
  WHATSAPP_GRAPH_BASE_URL: z.url().default('https://graph.facebook.com/v21.0'),
  // A module exporting createLinkedDeviceSocketFactory() to use instead of Baileys (tests, another library).
  WHATSAPP_SOCKET_MODULE: z.string().min(1).optional(),
  STRIPE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(20_000),
  // System health (modules/system-health): the volume whose free space is shown, the backup script's status
  // file (unset: "no backups configured"), and how old a queue's oldest waiting item may get before an alert.
  DATA_DIR: z.string().min(1).optional(),
  BACKUP_STATUS_FILE: z.string().min(1).optional(),
  ALERT_QUEUE_STUCK_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  // Prometheus GET /metrics on its own port (never through Caddy): unset = 9464 for the API, 9465 for the worker; 0 = off.
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
});

export type Config = {
  env: 'production' | 'development' | 'test';
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  publicUrl: string;
  /** The portal's base URL: links in invitations and password resets lead there. */
  portalUrl: string;
  /** trustedProxies: addresses, CIDRs or loopback/linklocal/uniquelocal whose forwarding headers are believed. */
  http: { host: string; port: number; trustedProxies: string[] };
  database: { url: string; migrationUrl: string };
  redis: { url: string };
  secrets: { session: string; encryptionKey: Buffer; clientAddress: string };
  n8n: { internalUrl: string };
  readinessTimeoutMs: number;
  seed: { adminEmail: string; adminPassword: string; adminPasswordGenerated: boolean };
  auth: { sessionTtlSeconds: number; secureCookies: boolean; google?: GoogleOAuthConfig; resetRequestsPerAddress: number };
  mail: { smtpUrl?: string; from: string };
  pipeline: PipelineConfig;
  twilio: { apiBaseUrl?: string; missedCallMaxSeconds: number };
  /** Bot API origin, and how bots receive updates (auto: webhook when PUBLIC_URL is https, else long polling). */
  telegram: { apiRoot: string; updates: 'webhook' | 'polling' };
  /** Meta's Graph API root (with its version) for the WhatsApp Cloud API; the fake in tests. */
  whatsappCloud: { graphBaseUrl: string };
  whatsappLinked: { socketModule?: string };
  llm: LlmConfig;
  agents: AgentsConfig;
  stripe: { secretKey?: string; webhookSecret?: string; apiBaseUrl?: string; timeoutMs: number };
  /** dataDir: its volume's disk usage is shown (default: the backup file's folder, else the working directory). */
  systemHealth: { dataDir: string; backupStatusFile?: string; queueStuckMinutes: number };
  /** port: undefined = the process's default (API 9464, worker 9465), 0 = no metrics server. */
  metrics: { host: string; port?: number };
};

export type AgentsConfig = { concurrency: number; leaseSeconds: number; pollMs: number; webChatRatePerMinute: number };

export type LlmConfig = {
  baseUrl: string;
  apiKey?: string;
  model: string;
  fallbackModel?: string;
  timeoutMs: number;
  maxRetries: number;
  maxRetryDelayMs: number;
  /** USD per million tokens; overrides the built-in price list (estimates only). */
  pricePerMillion?: { input: number; output: number };
};

export type PipelineConfig = {
  concurrency: number;
  pollMs: number;
  relayLeaseSeconds: number;
  jobLockMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  queuePrefix: string;
  webhookTimeoutMs: number;
  /**
   * Deliveries to a URL under `publicBase` are sent to the same path under `internalBase`: n8n's webhooks are
   * registered with its public address, which the worker reaches over the compose network instead (no hairpin
   * through the internet and the proxy).
   */
  deliveryShortcuts?: { publicBase: string; internalBase: string }[];
  /** Delivered events and their delivery logs are deleted after this many days. */
  eventRetentionDays: number;
};

export type GoogleOAuthConfig = {
  clientId: string;
  clientSecret: string;
  authorizationUrl?: string;
  tokenUrl?: string;
  userInfoUrl?: string;
};

function googleConfig(v: z.infer<typeof schema>): GoogleOAuthConfig | undefined {
  if (!v.GOOGLE_CLIENT_ID || !v.GOOGLE_CLIENT_SECRET) return undefined;
  return {
    clientId: v.GOOGLE_CLIENT_ID,
    clientSecret: v.GOOGLE_CLIENT_SECRET,
    authorizationUrl: v.GOOGLE_AUTHORIZATION_URL,
    tokenUrl: v.GOOGLE_TOKEN_URL,
    userInfoUrl: v.GOOGLE_USERINFO_URL,
  };
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** "loopback, 10.0.0.0/8, 192.0.2.7" -> a list Express's `trust proxy` understands; "none" -> []. */
function parseTrustedProxies(value: string, ctx: z.RefinementCtx): string[] {
  const entries = value.split(/[\s,]+/).filter(Boolean);
  if (entries.length === 1 && entries[0] === 'none') return [];
  for (const entry of entries) {
    const [address, bits, ...rest] = entry.split('/');
    const family = isIP(address ?? '');
    const maxBits = family === 6 ? 128 : 32;
    const validCidr = family !== 0 && rest.length === 0 && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits));
    if (!PROXY_NAMES.has(entry) && !validCidr) {
      ctx.addIssue({ code: 'custom', message: `has "${entry}": use none, or addresses/CIDRs and loopback, linklocal, uniquelocal, separated by commas` });
    }
  }
  return entries;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

// Google sign-in needs both halves of the client credentials, or neither.
const refinedSchema = schema.refine((v) => !v.GOOGLE_CLIENT_ID === !v.GOOGLE_CLIENT_SECRET, {
  message: 'must be set together with GOOGLE_CLIENT_ID (both or neither)',
  path: ['GOOGLE_CLIENT_SECRET'],
});

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty value counts as unset: compose passes `KEY=` for optional keys left blank in .env.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = refinedSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const missing = issue.code === 'invalid_type' && present[name] === undefined;
        return missing ? `${name} is required but not set` : `${name} ${issue.message}`;
      }),
    );
  }
  const v = parsed.data;
  return {
    env: v.NODE_ENV,
    logLevel: v.LOG_LEVEL,
    publicUrl: v.PUBLIC_URL.replace(/\/+$/, ''),
    portalUrl: (v.PORTAL_URL ?? v.PUBLIC_URL).replace(/\/+$/, ''),
    http: { host: v.API_HOST, port: v.API_PORT, trustedProxies: v.TRUSTED_PROXIES },
    database: { url: v.DATABASE_URL, migrationUrl: v.MIGRATION_DATABASE_URL ?? v.DATABASE_URL },
    redis: { url: v.REDIS_URL },
    secrets: { session: v.SESSION_SECRET, encryptionKey: Buffer.from(v.ENCRYPTION_KEY, 'base64'), clientAddress: v.CLIENT_ADDRESS_SECRET },
    n8n: { internalUrl: v.N8N_INTERNAL_URL.replace(/\/+$/, '') },
    readinessTimeoutMs: v.READINESS_TIMEOUT_MS,
    seed: {
      adminEmail: v.SEED_ADMIN_EMAIL,
      adminPassword: v.SEED_ADMIN_PASSWORD ?? randomBytes(12).toString('base64url'),
      adminPasswordGenerated: v.SEED_ADMIN_PASSWORD === undefined,
    },
    auth: {
      sessionTtlSeconds: v.SESSION_TTL_HOURS * 3600,
      secureCookies: v.PUBLIC_URL.startsWith('https:'),
      google: googleConfig(v),
      resetRequestsPerAddress: v.RESET_REQUESTS_PER_ADDRESS,
    },
    mail: { smtpUrl: v.SMTP_URL, from: v.MAIL_FROM },
    pipeline: {
      concurrency: v.PIPELINE_CONCURRENCY,
      pollMs: v.PIPELINE_POLL_MS,
      relayLeaseSeconds: v.PIPELINE_RELAY_LEASE_SECONDS,
      jobLockMs: v.PIPELINE_JOB_LOCK_MS,
      maxAttempts: v.PIPELINE_MAX_ATTEMPTS,
      retryBaseMs: v.PIPELINE_RETRY_BASE_MS,
      queuePrefix: v.PIPELINE_QUEUE_PREFIX,
      webhookTimeoutMs: v.WEBHOOK_TIMEOUT_MS,
      eventRetentionDays: v.EVENT_RETENTION_DAYS,
      deliveryShortcuts: v.N8N_PUBLIC_URL
        ? [{ publicBase: v.N8N_PUBLIC_URL.replace(/\/+$/, ''), internalBase: v.N8N_INTERNAL_URL.replace(/\/+$/, '') }]
        : [],
    },
    twilio: { apiBaseUrl: v.TWILIO_API_BASE_URL, missedCallMaxSeconds: v.MISSED_CALL_MAX_SECONDS },
    whatsappCloud: { graphBaseUrl: v.WHATSAPP_GRAPH_BASE_URL },
    whatsappLinked: { socketModule: v.WHATSAPP_SOCKET_MODULE },
    telegram: {
      apiRoot: v.TELEGRAM_API_ROOT,
      updates: v.TELEGRAM_UPDATES === 'auto' ? (v.PUBLIC_URL.startsWith('https:') ? 'webhook' : 'polling') : v.TELEGRAM_UPDATES,
    },
    llm: {
      baseUrl: v.LLM_BASE_URL.replace(/\/+$/, ''),
      apiKey: v.LLM_API_KEY,
      model: v.LLM_MODEL,
      fallbackModel: v.LLM_FALLBACK_MODEL,
      timeoutMs: v.LLM_TIMEOUT_MS,
      maxRetries: v.LLM_MAX_RETRIES,
      maxRetryDelayMs: v.LLM_MAX_RETRY_DELAY_MS,
      pricePerMillion:
        v.LLM_PRICE_INPUT_PER_MTOK !== undefined || v.LLM_PRICE_OUTPUT_PER_MTOK !== undefined
          ? { input: v.LLM_PRICE_INPUT_PER_MTOK ?? 0, output: v.LLM_PRICE_OUTPUT_PER_MTOK ?? 0 }
          : undefined,
    },
    agents: { concurrency: v.AGENT_CONCURRENCY, leaseSeconds: v.AGENT_TURN_LEASE_SECONDS, pollMs: v.AGENT_POLL_MS, webChatRatePerMinute: v.WEB_CHAT_RATE_PER_MINUTE },
    stripe: { secretKey: v.STRIPE_SECRET_KEY, webhookSecret: v.STRIPE_WEBHOOK_SECRET, apiBaseUrl: v.STRIPE_API_BASE_URL, timeoutMs: v.STRIPE_TIMEOUT_MS },
    systemHealth: {
      dataDir: v.DATA_DIR ?? (v.BACKUP_STATUS_FILE ? dirname(v.BACKUP_STATUS_FILE) : process.cwd()),
      backupStatusFile: v.BACKUP_STATUS_FILE,
      queueStuckMinutes: v.ALERT_QUEUE_STUCK_MINUTES,
    },
    metrics: { host: v.METRICS_HOST, port: v.METRICS_PORT },
  };
}

// ---- Backups (backend/src/cli/backup.ts, the compose `backup` service) -----------------------------------
// Apart from Config: the backup job runs beside PostgreSQL as its superuser and needs none of the API's settings.
const backupSchema = z.object({
  BACKUP_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL of a superuser (pg_dump of every database)'),
  BACKUP_DATABASES: z.string().default('switchboard,n8n').transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  BACKUP_PASSPHRASE: z.string().min(12, 'must be at least 12 characters: the passphrase that encrypts every backup (keep a copy off this server)'),
  BACKUP_DIR: z.string().min(1).default('/backups'),
  // Folders copied into the backup as they are (n8n's data folder); `name=path`, comma-separated.
  BACKUP_FILES: z.string().default('').transform((v, ctx) => parseNamedPaths(v, ctx)),
  BACKUP_ENV_FILE: z.string().min(1).optional(),
  BACKUP_AT: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (UTC)').default('03:00'),
  BACKUP_KEEP_DAILY: z.coerce.number().int().min(1).max(366).default(7),
  BACKUP_KEEP_WEEKLY: z.coerce.number().int().min(0).max(520).default(4),
  BACKUP_S3_ENDPOINT: z.url().optional(),
  BACKUP_S3_REGION: z.string().min(1).default('us-east-1'),
  BACKUP_S3_BUCKET: z.string().min(3).optional(),
  BACKUP_S3_PREFIX: z.string().default(''),
  BACKUP_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  BACKUP_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  BACKUP_S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('true'),
});

export type BackupConfig = {
  superuserUrl: string;
  databases: string[];
  passphrase: string;
  dir: string;
  files: { name: string; path: string }[];
  envFile?: string;
  dailyAt: string;
  retention: { daily: number; weekly: number };
  s3?: { endpoint?: string; region: string; bucket: string; prefix: string; accessKeyId?: string; secretAccessKey?: string; forcePathStyle: boolean };
};

function parseNamedPaths(value: string, ctx: z.RefinementCtx): { name: string; path: string }[] {
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean).map((entry) => {
    const [name, path] = entry.split('=', 2);
    return { name: name ?? '', path: path ?? '' };
  });
  for (const { name, path } of entries) {
    if (!/^[a-z0-9-]+$/.test(name) || !path.startsWith('/')) ctx.addIssue({ code: 'custom', message: `"${name}=${path}" must be name=/absolute/path` });
  }
  return entries;
}

export function loadBackupConfig(env: NodeJS.ProcessEnv = process.env): BackupConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = backupSchema.safeParse(present);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const v = parsed.data;
  if (v.BACKUP_S3_BUCKET && !v.BACKUP_S3_ACCESS_KEY_ID !== !v.BACKUP_S3_SECRET_ACCESS_KEY) {
    throw new ConfigError(['BACKUP_S3_SECRET_ACCESS_KEY: must be set together with BACKUP_S3_ACCESS_KEY_ID (both or neither)']);
  }
  return {
    superuserUrl: v.BACKUP_DATABASE_URL,
    databases: v.BACKUP_DATABASES,
    passphrase: v.BACKUP_PASSPHRASE,
    dir: v.BACKUP_DIR,
    files: v.BACKUP_FILES,
    envFile: v.BACKUP_ENV_FILE,
    dailyAt: v.BACKUP_AT,
    retention: { daily: v.BACKUP_KEEP_DAILY, weekly: v.BACKUP_KEEP_WEEKLY },
    s3: v.BACKUP_S3_BUCKET
      ? {
          endpoint: v.BACKUP_S3_ENDPOINT,
          region: v.BACKUP_S3_REGION,
          bucket: v.BACKUP_S3_BUCKET,
          prefix: v.BACKUP_S3_PREFIX.replace(/^\/+/, ''),
          accessKeyId: v.BACKUP_S3_ACCESS_KEY_ID,
          secretAccessKey: v.BACKUP_S3_SECRET_ACCESS_KEY,
          forcePathStyle: v.BACKUP_S3_FORCE_PATH_STYLE === 'true',
        }
      : undefined,
  };
}

import { randomBytes } from 'node:crypto';
import { z } from 'zod';

// The one place that reads process.env: everything else receives a typed Config.
const base64Key32 = z
  .string()
  .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)');

const schema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('production'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: z.url({ message: 'must be the public base URL, e.g. https://switchboard.example.com' }),
  API_HOST: z.string().min(1).default('0.0.0.0'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  MIGRATION_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters (openssl rand -base64 48)'),
  ENCRYPTION_KEY: base64Key32,
  N8N_INTERNAL_URL: z.url().default('http://127.0.0.1:5678'),
  READINESS_TIMEOUT_MS: z.coerce.number().int().positive().default(2000),
  SEED_ADMIN_EMAIL: z.email().default('admin@switchboard.local'),
  SEED_ADMIN_PASSWORD: z.string().min(12).optional(),
});

export type Config = {
  env: 'production' | 'development' | 'test';
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  publicUrl: string;
  http: { host: string; port: number };
  database: { url: string; migrationUrl: string };
  redis: { url: string };
  secrets: { session: string; encryptionKey: Buffer };
  n8n: { internalUrl: string };
  readinessTimeoutMs: number;
  seed: { adminEmail: string; adminPassword: string; adminPasswordGenerated: boolean };
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const missing = issue.code === 'invalid_type' && env[name] === undefined;
        return missing ? `${name} is required but not set` : `${name} ${issue.message}`;
      }),
    );
  }
  const v = parsed.data;
  return {
    env: v.NODE_ENV,
    logLevel: v.LOG_LEVEL,
    publicUrl: v.PUBLIC_URL.replace(/\/+$/, ''),
    http: { host: v.API_HOST, port: v.API_PORT },
    database: { url: v.DATABASE_URL, migrationUrl: v.MIGRATION_DATABASE_URL ?? v.DATABASE_URL },
    redis: { url: v.REDIS_URL },
    secrets: { session: v.SESSION_SECRET, encryptionKey: Buffer.from(v.ENCRYPTION_KEY, 'base64') },
    n8n: { internalUrl: v.N8N_INTERNAL_URL.replace(/\/+$/, '') },
    readinessTimeoutMs: v.READINESS_TIMEOUT_MS,
    seed: {
      adminEmail: v.SEED_ADMIN_EMAIL,
      adminPassword: v.SEED_ADMIN_PASSWORD ?? randomBytes(12).toString('base64url'),
      adminPasswordGenerated: v.SEED_ADMIN_PASSWORD === undefined,
    },
  };
}

import { randomBytes } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { provisionDatabase } from '../../backend/src/db/provision.js';
import { httpOk, startProcess, stopProcess, waitUntilReady, type ProcessSpec, type RunningProcess } from './processes.js';
import { assertToolsInstalled, repoRoot } from './tools.js';

export type StackOptions = {
  /** Names databases, state folder and queue prefix, so several stacks (dev, e2e) can coexist. */
  name: string;
  ports: { api: number; portal: number; n8n: number; n8nWorkerHealth: number; n8nBroker: number; n8nWorkerBroker: number };
  adminDatabaseUrl: string;
  redis: { host: string; port: number; db: number };
  quiet: boolean;
  /** When not quiet: 'all' output lines on the console, or only our services' errors ('problems', `make dev`); the log files get everything. */
  echo?: 'all' | 'problems';
  withPortal: boolean;
  /** Seconds to wait for n8n (its first start migrates its database). */
  n8nTimeoutSeconds: number;
  /** Folder of workflow JSON imported at n8n's first start (default: the repo's n8n-workflows/; e2e uses a copy with short waits). */
  workflowsDir?: string;
  /** Extra environment for the API and the worker (e2e: provider API base URLs pointing at fakes). */
  backendEnv?: Record<string, string>;
  /** 'queue' (default: n8n main + `n8n worker`, as deployed) or 'regular' (main runs every execution itself, no worker; the n8n benchmark compares both). */
  n8nMode?: 'queue' | 'regular';
  log: (line: string) => void;
};

export type Stack = {
  urls: { api: string; portal?: string; n8n: string };
  stateDir: string;
  env: Record<string, string>;
  firstLogin?: string;
  stop: () => Promise<void>;
};

export function defaultStackOptions(overrides: Partial<StackOptions> = {}): StackOptions {
  return {
    name: 'dev',
    ports: { api: 4000, portal: 3000, n8n: 5678, n8nWorkerHealth: 5690, n8nBroker: 5681, n8nWorkerBroker: 5691 },
    adminDatabaseUrl: process.env.NATIVE_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redis: { host: '127.0.0.1', port: 6379, db: 0 },
    quiet: false,
    withPortal: true,
    n8nTimeoutSeconds: 180,
    n8nMode: 'queue',
    log: (line) => console.log(`\x1b[1;34m[stack]\x1b[0m ${line}`),
    ...overrides,
  };
}

type Secrets = Record<
  'sessionSecret' | 'encryptionKey' | 'adminPassword' | 'n8nEncryptionKey' | 'ownerPassword' | 'appPassword' | 'n8nDbPassword' | 'n8nOwnerPassword' | 'signingSecret' | 'clientAddressSecret' | 'runnersAuthToken',
  string
>;

/**
 * Secrets are generated once per stack and kept in its state folder, so restarts keep sessions and n8n
 * credentials. A secret added in a later version is generated into an existing file.
 */
function loadOrCreateSecrets(stateDir: string): Secrets {
  const file = join(stateDir, 'secrets.json');
  const token = (n: number) => randomBytes(n).toString('base64url');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>;
    const added = { clientAddressSecret: () => token(48), runnersAuthToken: () => token(32) };
    const missing = Object.entries(added).filter(([name]) => !stored[name as keyof Secrets]);
    if (missing.length === 0) return stored as Secrets;
    const completed = { ...stored, ...Object.fromEntries(missing.map(([name, make]) => [name, make()])) } as Secrets;
    writeFileSync(file, JSON.stringify(completed, null, 2), { mode: 0o600 });
    return completed;
  }
  const secrets: Secrets = {
    sessionSecret: token(48),
    encryptionKey: randomBytes(32).toString('base64'),
    n8nEncryptionKey: token(32),
    adminPassword: token(12),
    ownerPassword: token(18),
    appPassword: token(18),
    n8nDbPassword: token(18),
    n8nOwnerPassword: `Sb1-${token(15)}`,
    signingSecret: token(32),
    clientAddressSecret: token(48),
    runnersAuthToken: token(32),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

function dbUrl(adminUrl: string, role: string, password: string, database: string): string {
  const url = new URL(adminUrl);
  url.username = role;
  url.password = password;
  url.pathname = `/${database}`;
  return url.toString();
}

/** Names, secrets and environment of a stack, computed without starting anything. */
export function stackEnvironment(options: StackOptions) {
  const tools = assertToolsInstalled();
  const stateDir = join(repoRoot, '.run', options.name);
  mkdirSync(join(stateDir, 'logs'), { recursive: true });
  const secrets = loadOrCreateSecrets(stateDir);
  const appDb = options.name === 'dev' ? 'switchboard' : `sb_${options.name}`;
  const n8nDb = options.name === 'dev' ? 'n8n' : `n8n_${options.name}`;
  const roles = { owner: `${appDb}_owner`, app: `${appDb}_app`, n8n: `${n8nDb}_user` };
  const api = `http://127.0.0.1:${options.ports.api}`;
  const n8nUrl = `http://127.0.0.1:${options.ports.n8n}`;
  const path = `${tools.nodeBin}:${process.env.PATH ?? ''}`;
  const redisUrl = `redis://${options.redis.host}:${options.redis.port}/${options.redis.db}`;
  const backendEnv: Record<string, string> = {
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    PUBLIC_URL: api,
    // Native mode serves the portal on its own port: invitation and password-reset links must lead there.
    PORTAL_URL: `http://127.0.0.1:${options.ports.portal}`,
    API_HOST: '127.0.0.1',
    API_PORT: String(options.ports.api),
    DATABASE_URL: dbUrl(options.adminDatabaseUrl, roles.app, secrets.appPassword, appDb),
    MIGRATION_DATABASE_URL: dbUrl(options.adminDatabaseUrl, roles.owner, secrets.ownerPassword, appDb),
    REDIS_URL: redisUrl,
    SESSION_SECRET: secrets.sessionSecret,
    ENCRYPTION_KEY: secrets.encryptionKey,
    // The portal signs each visitor's address with it; the API and browsers meet directly here (no proxy),
    // so no peer's X-Forwarded-For is believed (TRUSTED_PROXIES none; loopback behind a local tunnel).
    CLIENT_ADDRESS_SECRET: secrets.clientAddressSecret,
    TRUSTED_PROXIES: process.env.TRUSTED_PROXIES ?? 'none',
    N8N_INTERNAL_URL: n8nUrl,
    SEED_ADMIN_EMAIL: process.env.SEED_ADMIN_EMAIL ?? 'admin@switchboard.local',
    SEED_ADMIN_PASSWORD: secrets.adminPassword,
    ...options.backendEnv,
  };
  const n8nEnv = n8nEnvironment(options, stateDir, secrets, { n8nDb, role: roles.n8n, api });
  return { tools, stateDir, secrets, appDb, n8nDb, roles, api, n8nUrl, path, backendEnv, n8nEnv };
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const { tools, stateDir, secrets, appDb, n8nDb, roles, api, n8nUrl, path, backendEnv, n8nEnv } = stackEnvironment(options);
  const logDir = join(stateDir, 'logs');
  const { log } = options;

  log(`Preparing PostgreSQL databases ${appDb} and ${n8nDb}…`);
  await provisionDatabase({
    adminUrl: options.adminDatabaseUrl,
    database: appDb,
    owner: { name: roles.owner, password: secrets.ownerPassword },
    app: { name: roles.app, password: secrets.appPassword },
  });
  await provisionDatabase({
    adminUrl: options.adminDatabaseUrl,
    database: n8nDb,
    owner: { name: roles.n8n, password: secrets.n8nDbPassword },
  });

  const base = { ...process.env, PATH: path };
  const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
  const runOnce = (label: string, args: string[], env: NodeJS.ProcessEnv) => {
    log(label);
    if (options.echo !== 'problems') return execFileSync(tsx, args, { cwd: repoRoot, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    // Quiet console: what the step prints on stderr goes to logs/setup.log, and is shown only if the step fails.
    const result = spawnSync(tsx, args, { cwd: repoRoot, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    appendFileSync(join(logDir, 'setup.log'), `--- ${label}\n${result.stderr ?? ''}`);
    if (result.error) throw result.error;
    if (result.status !== 0) throw new Error(`${label.replace(/…$/, '')} failed:\n${(result.stderr ?? '').trim().split('\n').slice(-15).join('\n')}`);
    return result.stdout;
  };

  runOnce('Running database migrations…', ['backend/src/cli/migrate.ts', 'up'], { ...base, ...backendEnv });
  const seedOutput = runOnce('Seeding the demo agency (first start only)…', ['backend/src/cli/seed.ts'], { ...base, ...backendEnv });
  // A fresh agency-level "n8n" token at every start (the previous one is revoked); bootstrap.sh writes it
  // into n8n's credential. Only stdout carries the token and it is never printed.
  n8nEnv.SWITCHBOARD_SERVICE_TOKEN = runOnce('Issuing the n8n service token…', ['backend/src/cli/provision-n8n-token.ts'], {
    ...base,
    ...backendEnv,
  }).trim();

  log('Building the Switchboard n8n nodes…');
  execFileSync('npm', ['run', 'build', '--silent', '-w', 'n8n-nodes'], { cwd: repoRoot, env: base, stdio: ['ignore', 'ignore', 'inherit'] });
  // The API starts first: n8n's trigger nodes register their event subscriptions with it when
  // the workflows are activated at n8n's start.
  const specs: ProcessSpec[] = [
    { name: 'api', command: tsx, args: ['backend/src/server.ts'], cwd: repoRoot, env: { ...base, ...backendEnv }, ready: () => httpOk(`${api}/healthz`) },
    { name: 'worker', command: tsx, args: ['backend/src/worker.ts'], cwd: repoRoot, env: { ...base, ...backendEnv } },
    {
      // bootstrap.sh prepares n8n's database (credential, workflows, owner hash) and then execs `n8n start`,
      // so the owner's password hash it derives reaches n8n. The worker must not run it (no concurrent imports).
      name: 'n8n',
      command: 'sh',
      args: [join(repoRoot, 'deploy/n8n/bootstrap.sh'), 'n8n', 'start'],
      cwd: stateDir,
      env: { ...base, ...n8nEnv, PATH: `${dirname(tools.n8nBin)}:${path}` },
      ready: () => n8nAcceptsLogin(n8nUrl, n8nEnv),
    },
  ];
  if (options.n8nMode !== 'regular') {
    specs.push({
      name: 'n8n-worker',
      command: tools.n8nBin,
      args: ['worker', '--concurrency=10'],
      cwd: stateDir,
      // Each n8n process runs its own task broker: the worker's on its own port.
      env: { ...base, ...n8nEnv, N8N_RUNNERS_BROKER_PORT: String(options.ports.n8nWorkerBroker) },
      ready: () => httpOk(`http://127.0.0.1:${options.ports.n8nWorkerHealth}/healthz`),
    });
  }
  // Code nodes run in n8n's task runners in external mode, started by the same launcher as in compose. In queue mode
  // main offloads every execution to the worker and runs no task broker; in regular mode main runs them.
  const brokers = [options.n8nMode === 'regular' ? options.ports.n8nBroker : options.ports.n8nWorkerBroker];
  specs.push({
    name: 'n8n-runners',
    command: join(tools.nodeBin, 'node'),
    args: [join(repoRoot, 'deploy/n8n/task-runners.mjs')],
    cwd: stateDir,
    env: {
      PATH: path, HOME: process.env.HOME ?? stateDir, GENERIC_TIMEZONE: 'UTC', N8N_PACKAGE_DIR: join(dirname(dirname(tools.n8nBin)), 'n8n'),
      N8N_RUNNERS_AUTH_TOKEN: secrets.runnersAuthToken, SB_RUNNER_BROKERS: brokers.map((port) => `127.0.0.1:${port}`).join(','),
      SB_RUNNER_HEALTH_PORT: '0', SB_RUNNER_DISCOVER_INTERVAL_MS: '60000',
    },
  });
  const portalUrl = `http://127.0.0.1:${options.ports.portal}`;
  if (options.withPortal) {
    specs.push({
      name: 'portal',
      command: join(tools.nodeBin, 'node'),
      // Plain HTTP, no proxy: portal-http.mjs tells adapter-node the protocol (it no longer reads ORIGIN).
      args: [join(repoRoot, 'deploy', 'native', 'portal-http.mjs'), join(repoRoot, 'portal', 'build')],
      cwd: join(repoRoot, 'portal'),
      env: {
        ...base, PORT: String(options.ports.portal), HOST: '127.0.0.1', BACKEND_URL: api, PROTOCOL_HEADER: 'x-forwarded-proto', N8N_EDITOR_URL: n8nUrl,
        CLIENT_ADDRESS_SECRET: secrets.clientAddressSecret,
      },
      ready: () => httpOk(`${portalUrl}/healthz`),
    });
  }

  const running: RunningProcess[] = [];
  const stop = async () => {
    await Promise.all(running.reverse().map((p) => stopProcess(p)));
  };
  try {
    for (const [i, spec] of specs.entries()) {
      log(`Starting ${spec.name}…`);
      const proc = startProcess(spec, logDir, options.quiet ? 'none' : (options.echo ?? 'all'), i);
      running.push(proc);
      const timeout = spec.name.startsWith('n8n') ? options.n8nTimeoutSeconds * 1000 : 60_000;
      await waitUntilReady(proc, timeout, (s) => log(`…waiting for ${spec.name} (${s} s)`));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const firstLogin = /First login:[\s\S]*/.exec(seedOutput)?.[0]?.trim();
  return {
    urls: { api, n8n: n8nUrl, ...(options.withPortal ? { portal: portalUrl } : {}) },
    stateDir,
    env: { ...backendEnv, ...n8nEnv },
    ...(firstLogin ? { firstLogin } : {}),
    stop,
  };
}

function n8nEnvironment(
  options: StackOptions,
  stateDir: string,
  secrets: Secrets,
  db: { n8nDb: string; role: string; api: string },
): Record<string, string> {
  const admin = new URL(options.adminDatabaseUrl);
  return {
    N8N_USER_FOLDER: join(stateDir, 'n8n'),
    N8N_PORT: String(options.ports.n8n),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_PROTOCOL: 'http',
    WEBHOOK_URL: `http://127.0.0.1:${options.ports.n8n}/`,
    N8N_SECURE_COOKIE: 'false',
    N8N_ENCRYPTION_KEY: secrets.n8nEncryptionKey,
    DB_TYPE: 'postgresdb',
    DB_POSTGRESDB_HOST: admin.hostname,
    DB_POSTGRESDB_PORT: admin.port || '5432',
    DB_POSTGRESDB_DATABASE: db.n8nDb,
    DB_POSTGRESDB_USER: db.role,
    DB_POSTGRESDB_PASSWORD: secrets.n8nDbPassword,
    EXECUTIONS_MODE: options.n8nMode ?? 'queue',
    QUEUE_BULL_REDIS_HOST: options.redis.host,
    QUEUE_BULL_REDIS_PORT: String(options.redis.port),
    QUEUE_BULL_REDIS_DB: String(options.redis.db),
    QUEUE_BULL_PREFIX: `n8n-${options.name}`,
    QUEUE_HEALTH_CHECK_ACTIVE: 'true',
    QUEUE_HEALTH_CHECK_PORT: String(options.ports.n8nWorkerHealth),
    N8N_CUSTOM_EXTENSIONS: join(repoRoot, 'n8n-nodes', 'dist'),
    N8N_WORKFLOWS_DIR: options.workflowsDir ?? join(repoRoot, 'n8n-workflows'),
    N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
    N8N_INSTANCE_OWNER_EMAIL: process.env.N8N_OWNER_EMAIL ?? 'operator@switchboard.local',
    N8N_INSTANCE_OWNER_FIRST_NAME: 'Agency',
    N8N_INSTANCE_OWNER_LAST_NAME: 'Operator',
    N8N_OWNER_PASSWORD: secrets.n8nOwnerPassword,
    SWITCHBOARD_API_URL: db.api,
    SWITCHBOARD_SERVICE_TOKEN: '', // issued by startStack after the seed (provision-n8n-token)
    SWITCHBOARD_SIGNING_SECRET: secrets.signingSecret,
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    EXTERNAL_FRONTEND_HOOKS_URLS: '',
    N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
    N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_LOG_LEVEL: 'warn',
    OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
    N8N_RUNNERS_MODE: 'external',
    N8N_RUNNERS_AUTH_TOKEN: secrets.runnersAuthToken,
    N8N_RUNNERS_BROKER_PORT: String(options.ports.n8nBroker),
    N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
  };
}

/** n8n answers /healthz a few seconds before its REST API is mounted; ready means the owner can log in. */
async function n8nAcceptsLogin(baseUrl: string, env: Record<string, string>): Promise<boolean> {
  const response = await fetch(`${baseUrl}/rest/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ emailOrLdapLoginId: env.N8N_INSTANCE_OWNER_EMAIL, password: env.N8N_OWNER_PASSWORD }),
    signal: AbortSignal.timeout(3000),
  });
  return response.ok;
}

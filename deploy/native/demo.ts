// `make demo`: the whole missed-call flow on this machine, no accounts needed. A native stack (its own
// databases and ports, beside `make dev`) with the fake Twilio running as a process it talks to through
// TWILIO_API_BASE_URL; the seeded "Demo Dental Clinic" connects a fake Twilio number through the same API
// the portal uses, a test missed call is sent, and the SMS text-back shows up on the Calls page.
import { Browser } from '../../backend/test/support/browser.js';
import { startMailCatcher } from './mail-catcher.js';
import { startProcess, stopProcess, waitUntilReady, httpOk } from './processes.js';
import { defaultStackOptions, startStack, type Stack } from './stack.js';
import { repoRoot } from './tools.js';
import { join } from 'node:path';

const PORTS = { api: 4001, portal: 3001, n8n: 5679, n8nWorkerHealth: 5693, n8nBroker: 5682, n8nWorkerBroker: 5694, fakeTwilio: 4011 };
const DEMO_ACCOUNT = { sid: `AC${'de30'.padEnd(32, '0')}`, authToken: 'demo-auth-token-0123456789abcdef' };
const DEMO_NUMBER = '+13125550142';
const log = (line: string) => console.log(`\x1b[1;35m[demo]\x1b[0m ${line}`);

function ok<T>(res: { status: number; body: unknown }, what: string): T {
  if (res.status >= 300) throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}

/** Signs in with the first login and, acting inside the demo clinic, connects the fake Twilio number and sends a test missed call. */
async function connectAndCall(stack: Stack): Promise<{ caller: string }> {
  const [email, password] = [/First login:\s+(\S+)/.exec(stack.firstLogin ?? '')?.[1] ?? stack.env.SEED_ADMIN_EMAIL!, stack.env.SEED_ADMIN_PASSWORD!];
  const owner = new Browser(stack.urls.api, '127.0.0.1');
  ok(await owner.signIn(email, password), 'sign in');
  const { tenants } = ok<{ tenants: { tenantId: string; name: string }[] }>(await owner.get('/api/v1/agency/tenants/health?limit=200'), 'list client businesses');
  const clinic = tenants.find((t) => t.name === 'Demo Dental Clinic') ?? tenants[0];
  if (!clinic) throw new Error('no client business to demo with (the seed creates "Demo Dental Clinic")');
  ok(await owner.post('/api/v1/auth/act-as-tenant', { tenantId: clinic.tenantId }), 'open the clinic');
  log(`Connecting ${clinic.name} to the fake Twilio (account verified, number ${DEMO_NUMBER}, webhooks set)…`);
  ok(await owner.send('put', '/api/v1/tenant/providers/twilio', { body: { accountSid: DEMO_ACCOUNT.sid, authToken: DEMO_ACCOUNT.authToken } }), 'connect Twilio');
  ok(await owner.send('put', '/api/v1/tenant/providers/twilio/number', { body: { phoneNumber: DEMO_NUMBER } }), 'choose the number');
  // Demo texts may go out at any hour (the fictional caller's area code may be at night).
  const settings = ok<Record<string, unknown>>(await owner.get('/api/v1/messaging-settings'), 'read messaging settings');
  ok(await owner.send('put', '/api/v1/messaging-settings', { body: { ...settings, sendingWindow: { start: '00:00', end: '23:59' } } }), 'sending hours');
  const call = ok<{ from: string; message: string }>(await owner.send('post', '/api/v1/tenant/providers/twilio/test-call', { body: {} }), 'test missed call');
  log(call.message);
  return { caller: call.from };
}

async function waitForTextBack(caller: string): Promise<string> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const state = (await (await fetch(`http://127.0.0.1:${PORTS.fakeTwilio}/__fake/state`)).json()) as { messages: { to: string; status: string }[] };
    const sms = state.messages.find((m) => m.to === caller);
    if (sms?.status === 'delivered') return sms.status;
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error('no SMS text-back reached the fake Twilio within 3 minutes; see the logs');
}

const mail = await startMailCatcher({ smtp: 1026, web: 1081 });
const fakeTwilio = startProcess({
  name: 'fake-twilio', command: join(repoRoot, 'node_modules', '.bin', 'tsx'), args: ['tests/fakes/twilio/main.ts'], cwd: repoRoot,
  env: { ...process.env, FAKE_TWILIO_PORT: String(PORTS.fakeTwilio), FAKE_TWILIO_ACCOUNT_SID: DEMO_ACCOUNT.sid, FAKE_TWILIO_AUTH_TOKEN: DEMO_ACCOUNT.authToken, FAKE_TWILIO_NUMBERS: `${DEMO_NUMBER},+13125550143` },
  ready: () => httpOk(`http://127.0.0.1:${PORTS.fakeTwilio}/__fake/state`),
}, join(repoRoot, '.run', 'demo', 'logs'), 'problems');
let stack: Stack | undefined;
const shutdown = async (code: number) => {
  console.log('\nStopping the demo…');
  await stack?.stop();
  await stopProcess(fakeTwilio);
  await mail?.close();
  process.exit(code);
};
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
try {
  await waitUntilReady(fakeTwilio, 30_000);
  log(`Fake Twilio on http://127.0.0.1:${PORTS.fakeTwilio} (what it received: /__fake/state)`);
  stack = await startStack(defaultStackOptions({
    name: 'demo', ports: PORTS, redis: { host: '127.0.0.1', port: 6379, db: 2 }, echo: 'problems',
    backendEnv: { TWILIO_API_BASE_URL: `http://127.0.0.1:${PORTS.fakeTwilio}`, ...(mail && { SMTP_URL: mail.smtpUrl }) },
    log,
  }));
  const { caller } = await connectAndCall(stack);
  log('Waiting for the missed-call automation (n8n) to text the caller back…');
  await waitForTextBack(caller);
  const line = '─'.repeat(64);
  console.log(`\n${line}\n The missed call from ${caller} was texted back (SMS delivered at the fake Twilio).\n${line}`);
  console.log(` See it:       ${stack.urls.portal}/sign-in as ${stack.env.SEED_ADMIN_EMAIL} (password: ${stack.env.SEED_ADMIN_PASSWORD}, kept in .run/demo/secrets.json)`);
  console.log('               then "Open as tenant" on Demo Dental Clinic → Calls (the call is marked "Test call")');
  console.log(`               Channels → "Send a test missed call" runs it again`);
  if (mail) console.log(` Mail:         ${mail.webUrl}`);
  console.log(` n8n editor:   ${stack.urls.n8n} (${stack.env.N8N_INSTANCE_OWNER_EMAIL} / ${stack.env.N8N_OWNER_PASSWORD})`);
  console.log(` Logs:         ${stack.stateDir}/logs/\n Press Ctrl-C to stop.\n${line}\n`);
} catch (err) {
  console.error(`\nThe demo did not complete: ${err instanceof Error ? err.message : String(err)}`);
  await shutdown(1);
}

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { Sequelize } from 'sequelize';
import { Browser as ApiClient } from '../../backend/test/support/browser.js';
import { createPerson } from '../../backend/test/support/identity-world.js';
import { N8nClient } from './support/n8n-client.js';
import { deployCodeNodeWorkflow } from './support/code-node-workflow.js';
import { eventually } from './support/eventually.js';
import { repoRoot } from '../../deploy/native/tools.js';
import { e2eDatabaseAdminUrl, e2eStack } from './support/e2e-stack.js';

const HEARTBEAT_WORKFLOW_ID = 'sbHeartbeat00001';

describe('the native stack (real PostgreSQL, Redis and n8n)', () => {
  let n8n: N8nClient;
  before(async () => {
    const { urls, env } = e2eStack();
    n8n = await N8nClient.login(urls.n8n, { email: env.N8N_INSTANCE_OWNER_EMAIL!, password: env.N8N_OWNER_PASSWORD! });
  });

  it('when it has booted, then /readyz is 200 with PostgreSQL, Redis and n8n all reachable', async () => {
    const response = await fetch(`${e2eStack().urls.api}/readyz`);
    const body = (await response.json()) as { status: string; checks: Record<string, { ok: boolean }> };
    expect(response.status, JSON.stringify(body)).to.equal(200);
    expect(body.status).to.equal('ok');
    expect(Object.entries(body.checks).map(([name, check]) => [name, check.ok])).to.have.deep.members([
      ['postgres', true],
      ['redis', true],
      ['n8n', true],
    ]);
  });

  it('when n8n is asked about our node types, then CUSTOM.switchboard is loaded and an unknown type is not', async () => {
    expect(await n8n.isNodeTypeLoaded('CUSTOM.switchboard')).to.equal(true);
    expect(await n8n.isNodeTypeLoaded('CUSTOM.doesNotExist')).to.equal(false);
  });

  it('when the shipped workflows were bootstrapped, then the heartbeat is active, built from our node, with our credential', async () => {
    expect(await n8n.isWorkflowActive(HEARTBEAT_WORKFLOW_ID)).to.equal(true);
    const workflow = await n8n.getWorkflow(HEARTBEAT_WORKFLOW_ID);
    expect(workflow?.nodes.map((node) => node.type)).to.include('CUSTOM.switchboard');
    const credential = await n8n.getCredential('sbSwitchboardApi');
    expect(credential).to.include({ type: 'switchboardApi', name: 'Switchboard API' });
    expect(credential?.data?.baseUrl).to.equal(e2eStack().urls.api);
  });

  it("when n8n tests our credential, then the backend accepts the stack's n8n service token (GET /api/v1/service/whoami)", async () => {
    const token = e2eStack().env.SWITCHBOARD_SERVICE_TOKEN!;
    expect(token).to.match(/^sbt_/);
    const whoami = await fetch(`${e2eStack().urls.api}/api/v1/service/whoami`, { headers: { authorization: `Bearer ${token}` } });
    expect(whoami.status).to.equal(200);
    const body = (await whoami.json()) as { tenantId: string | null; permissions: string[] };
    expect(body.tenantId).to.equal(null);
    expect(body.permissions).to.include.members(['agency.act_as_tenant', 'tenant.ai.use', 'tenant.payments.manage']);
    expect(await n8n.testCredential('sbSwitchboardApi')).to.include({ status: 'OK' });
  });

  it('when n8n has started, then every shipped workflow is active (trigger subscriptions registered with the backend)', async () => {
    const shipped = readdirSync(join(repoRoot, 'n8n-workflows'))
      .filter((file) => file.endsWith('.json'))
      .map((file) => (JSON.parse(readFileSync(join(repoRoot, 'n8n-workflows', file), 'utf8')) as { id: string; name: string }));
    expect(shipped.length).to.be.greaterThan(1);
    for (const workflow of shipped) {
      expect(await n8n.isWorkflowActive(workflow.id), `${workflow.name} (${workflow.id}) should be active`).to.equal(true);
    }
  });

  it('when a workflow with a Code node runs on the queue worker, then an external task runner executes it (no deprecated internal mode)', async () => {
    const { urls, stateDir } = e2eStack();
    const apiKey = await n8n.createApiKey(`runner-check-${Date.now()}`, ['workflow:create', 'workflow:read', 'workflow:activate']);
    const send = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${urls.n8n}${path}`, {
        method, headers: { 'x-n8n-api-key': apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, text: await res.text() };
    };
    const path = await deployCodeNodeWorkflow(send);
    // The production webhook is registered a moment after the activation returns.
    let last = '';
    const text = await eventually('the Code node workflow answering its webhook', async () => {
      const answer = await fetch(`${urls.n8n}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n: 21 }) });
      last = `${answer.status} ${await answer.text()}`;
      return answer.status === 200 ? last.slice(4) : undefined;
    }, 30_000).catch((err: Error) => { throw new Error(`${err.message}; last answer: ${last.slice(0, 500)}`); });
    expect(JSON.parse(text)).to.include({ doubled: 42 });
    // The runner ran as a child of our launcher (deploy/n8n/task-runners.mjs), not of n8n: n8n ran in external mode.
    const launcherLog = readFileSync(join(stateDir, 'logs', 'n8n-runners.log'), 'utf8');
    expect(launcherLog).to.contain('task runner started');
    const n8nLogs = ['n8n.log', 'n8n-worker.log'].map((file) => readFileSync(join(stateDir, 'logs', file), 'utf8')).join('\n');
    expect(n8nLogs).to.not.match(/internal mode/i);
  });

  it('when the portal is opened, then agency staff see the live system status and a public visitor only a sign-in landing', async () => {
    const { urls } = e2eStack();
    expect((await fetch(`${urls.portal}/healthz`)).status).to.equal(200);
    const publicHtml = await (await fetch(urls.portal!)).text();
    expect(publicHtml).to.contain('Sign in');
    expect(publicHtml).not.to.contain('System status');
    const db = new Sequelize(e2eDatabaseAdminUrl(), { logging: false });
    let staff: { email: string; password: string };
    try {
      const [[agency]] = (await db.query('SELECT id FROM agencies ORDER BY created_at LIMIT 1')) as [{ id: string }[], unknown];
      staff = await createPerson(db, [{ agencyId: agency!.id, tenantId: null, role: 'agency_operator' }]);
    } finally {
      await db.close();
    }
    const api = new ApiClient(urls.api);
    expect((await api.signIn(staff.email, staff.password)).status).to.equal(200);
    const cookie = `sb_session=${encodeURIComponent(api.cookies.get('sb_session')!)}`;
    const staffHtml = await (await fetch(urls.portal!, { headers: { cookie } })).text();
    expect(staffHtml).to.contain('System status');
    expect(staffHtml).to.contain('All systems operational');
  });

  it('when the worker runs, then its heartbeat is fresh (the compose healthcheck command agrees)', () => {
    const output = execFileSync(join(repoRoot, 'node_modules/.bin/tsx'), ['backend/src/cli/worker-health.ts'], {
      cwd: repoRoot,
      env: { ...process.env, ...e2eStack().env },
      encoding: 'utf8',
    });
    expect(output).to.match(/worker alive \(heartbeat \d+ ms ago\)/);
  });
});

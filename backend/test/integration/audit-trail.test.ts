import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { QueryTypes, type Sequelize } from 'sequelize';
import request from 'supertest';
import { createSequelize } from '../../src/db/sequelize.js';
import { scopeRunner, withScope } from '../../src/db/tenant-scope.js';
import { createLogger } from '../../src/logger.js';
import { recordAuditEvent } from '../../src/modules/audit/record-audit-event.js';
import type { AuditEvent } from '../../src/modules/audit/types.js';
import { verifyAuditChain } from '../../src/modules/audit/verify-audit-chain.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { validEnv } from '../support/env.js';
import { testDatabase } from '../support/integration-hooks.js';
import { TEST_REDIS_URL } from '../support/test-database.js';
import { memberPrincipal, TestApi } from '../support/test-api.js';

const run = promisify(execFile);

describe('audit trail', () => {
  let db: Sequelize;
  let app: Sequelize;
  let api: TestApi;

  before(() => {
    db = superuserSequelize();
    app = createSequelize(testDatabase().appUrl, createLogger({ logLevel: 'silent' }));
    api = TestApi.create();
  });
  after(async () => {
    await api.close();
    await app.close();
    await db.close();
  });

  const record = (event: AuditEvent) => withScope(app, {}, (tx) => recordAuditEvent(tx, event));
  const verify = (agencyId: string) => verifyAuditChain({ runInScope: scopeRunner(app) }, { agencyId });
  async function agencyWithEvents(count: number): Promise<WorldAgency> {
    const x = await createAgencyWorld(db);
    for (let i = 0; i < count; i += 1) {
      await record({ agencyId: x.id, tenantId: x.tenants[0].id, actor: { type: 'system' }, action: 'test.event', after: { i } });
    }
    return x;
  }
  async function rowsOf(agencyId: string) {
    return db.query<{ id: string; seq: string; chain_key: string }>(
      `SELECT id, seq, chain_key FROM audit_events WHERE agency_id = :agencyId ORDER BY chain_key, seq`,
      { replacements: { agencyId }, type: QueryTypes.SELECT },
    );
  }
  /** A superuser who also disables triggers: the strongest tampering the trail must still reveal. */
  async function tamper(sql: string, replacements: Record<string, unknown>) {
    await db.transaction(async (transaction) => {
      await db.query('SET LOCAL session_replication_role = replica', { transaction });
      await db.query(sql, { replacements, transaction });
    });
  }

  it('when events are recorded, then the chains verify and secrets in before/after are redacted', async () => {
    const x = await agencyWithEvents(3);
    await record({
      agencyId: x.id,
      actor: { type: 'user', id: x.owner.userId },
      action: 'test.secrets',
      after: { name: 'ok', password: 'hunter2', nested: { apiKey: 'k', tokenHash: 'h', list: [{ clientSecret: 's' }] } },
    });
    const [row] = await db.query<{ after: Record<string, unknown> }>(
      `SELECT after FROM audit_events WHERE agency_id = :agencyId AND action = 'test.secrets'`,
      { replacements: { agencyId: x.id }, type: QueryTypes.SELECT },
    );
    expect(row!.after).to.deep.equal({
      name: 'ok',
      password: '[redacted]',
      nested: { apiKey: '[redacted]', tokenHash: '[redacted]', list: [{ clientSecret: '[redacted]' }] },
    });
    expect(await verify(x.id)).to.deep.include({ ok: true, checkedEvents: 4, chains: 2, firstBroken: null });
  });

  it('when many events are written concurrently to one chain, then seq numbers are consecutive and the chain verifies', async () => {
    const x = await createAgencyWorld(db);
    await Promise.all(
      Array.from({ length: 25 }, (_, i) => record({ agencyId: x.id, tenantId: x.tenants[0].id, actor: { type: 'system' }, action: 'test.burst', after: { i } })),
    );
    const seqs = (await rowsOf(x.id)).map((row) => Number(row.seq));
    expect(seqs).to.deep.equal(Array.from({ length: 25 }, (_, i) => i + 1));
    expect((await verify(x.id)).ok).to.equal(true);
  });

  it('when the app role tries to UPDATE or DELETE audit rows, then it is denied', async () => {
    const x = await agencyWithEvents(1);
    for (const sql of ['UPDATE audit_events SET action = :v', 'DELETE FROM audit_events WHERE action <> :v']) {
      let error: unknown;
      try {
        await withScope(app, { agencyId: x.id }, (transaction) => app.query(sql, { replacements: { v: 'x' }, transaction }));
      } catch (err) {
        error = err;
      }
      expect(String(error), sql).to.match(/permission denied/);
    }
  });

  it('when even the table owner tries to UPDATE or DELETE, then the append-only trigger refuses', async () => {
    const x = await agencyWithEvents(1);
    const owner = createSequelize(testDatabase().ownerUrl, createLogger({ logLevel: 'silent' }));
    try {
      let error: unknown;
      try {
        await withScope(owner, { agencyId: x.id }, (transaction) => owner.query(`DELETE FROM audit_events`, { transaction }));
      } catch (err) {
        error = err;
      }
      expect(String(error)).to.match(/append-only/);
    } finally {
      await owner.close();
    }
  });

  it('when a row is modified directly in SQL, then verification names that row', async () => {
    const x = await agencyWithEvents(5);
    const third = (await rowsOf(x.id))[2]!;
    await tamper(`UPDATE audit_events SET after = '{"i": 99}' WHERE id = :id`, { id: third.id });
    const result = await verify(x.id);
    expect(result.ok).to.equal(false);
    expect(result.firstBroken).to.deep.include({ seq: 3, eventId: third.id, chainKey: third.chain_key });
    expect(result.firstBroken!.reason).to.match(/modified/);
  });

  it('when a row in the middle is deleted, then verification reports the gap', async () => {
    const x = await agencyWithEvents(5);
    const rows = await rowsOf(x.id);
    await tamper('DELETE FROM audit_events WHERE id = :id', { id: rows[1]!.id });
    const result = await verify(x.id);
    expect(result.ok).to.equal(false);
    expect(result.firstBroken).to.deep.include({ seq: 3, eventId: rows[2]!.id });
  });

  it('when the newest rows are deleted, then verification reports the chain ending before its head', async () => {
    const x = await agencyWithEvents(4);
    const rows = await rowsOf(x.id);
    await tamper('DELETE FROM audit_events WHERE id = :id', { id: rows[3]!.id });
    const result = await verify(x.id);
    expect(result.ok).to.equal(false);
    expect(result.firstBroken).to.deep.include({ seq: 4, eventId: null });
  });

  it('when the audit-verify CLI runs over a tampered trail, then it exits 1 and names the broken row', async () => {
    const x = await agencyWithEvents(3);
    const rows = await rowsOf(x.id);
    await tamper(`UPDATE audit_events SET action = 'forged' WHERE id = :id`, { id: rows[0]!.id });
    const url = new URL(testDatabase().ownerUrl);
    const env = validEnv({ DATABASE_URL: testDatabase().appUrl, MIGRATION_DATABASE_URL: url.toString(), REDIS_URL: TEST_REDIS_URL });
    const outcome = await run('npx', ['tsx', 'src/cli/audit-verify.ts'], { env: { ...process.env, ...env } }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
    );
    expect(outcome.code).to.equal(1);
    expect(outcome.stdout).to.include(`chain ${rows[0]!.chain_key}, seq 1, event ${rows[0]!.id}`);
  });

  it('when an agency owner asks to verify over HTTP, then a clean trail reports ok', async () => {
    const x = await agencyWithEvents(2);
    const res = await request(api.app).get('/api/v1/agency/audit/verify').set(api.signIn(memberPrincipal(x.id, x.owner))).expect(200);
    expect(res.body).to.deep.include({ ok: true, checkedEvents: 2, firstBroken: null });
  });

  it('when events are listed with filters and exported, then tenant admins see only their tenant and CSV/JSON match', async () => {
    const x = await createAgencyWorld(db);
    const [a, b] = x.tenants;
    await record({ agencyId: x.id, tenantId: a.id, actor: { type: 'user', id: 'u1' }, action: 'test.alpha', target: { type: 'thing', id: 't1' } });
    await record({ agencyId: x.id, tenantId: a.id, actor: { type: 'user', id: 'u2' }, action: 'test.beta' });
    await record({ agencyId: x.id, tenantId: b.id, actor: { type: 'user', id: 'u1' }, action: 'test.alpha' });
    await record({ agencyId: x.id, actor: { type: 'user', id: 'u1' }, action: '=cmd|calc' });
    const admin = api.signIn(memberPrincipal(x.id, a.users.tenant_admin));
    const owner = api.signIn(memberPrincipal(x.id, x.owner));
    const tenantList = await request(api.app).get('/api/v1/tenant/audit/events').set(admin).expect(200);
    expect(tenantList.body.events.map((e: { tenantId: string }) => e.tenantId)).to.deep.equal([a.id, a.id]);
    const filtered = await request(api.app).get('/api/v1/agency/audit/events').query({ action: 'test.alpha', actorId: 'u1' }).set(owner).expect(200);
    expect(filtered.body.events).to.have.length(2);
    const byTarget = await request(api.app).get('/api/v1/agency/audit/events').query({ targetType: 'thing', targetId: 't1' }).set(owner).expect(200);
    expect(byTarget.body.events).to.have.length(1);
    const future = await request(api.app).get('/api/v1/agency/audit/events').query({ from: '2999-01-01T00:00:00Z' }).set(owner).expect(200);
    expect(future.body.events).to.have.length(0);
    const csv = await request(api.app).get('/api/v1/agency/audit/export').query({ format: 'csv' }).set(owner).expect(200);
    expect(csv.headers['content-type']).to.match(/text\/csv/);
    expect(csv.text.trim().split('\r\n')).to.have.length(5);
    expect(csv.text).to.include("'=cmd|calc");
    const json = await request(api.app).get('/api/v1/tenant/audit/export').query({ format: 'json' }).set(admin).expect(200);
    expect(json.body.events).to.have.length(2);
  });

  it('when events name people, businesses and memberships by id, then the list carries their names (unknown ids stay unnamed)', async () => {
    const x = await createAgencyWorld(db);
    const [a] = x.tenants;
    const [[tenant]] = (await db.query('SELECT name FROM tenants WHERE id = :id', { replacements: { id: a.id } })) as [{ name: string }[], unknown];
    const [[owner]] = (await db.query('SELECT name FROM users WHERE id = :id', { replacements: { id: x.owner.userId } })) as [{ name: string }[], unknown];
    const [[member]] = (await db.query('SELECT name FROM users WHERE id = :id', { replacements: { id: a.users.tenant_member.userId } })) as [{ name: string }[], unknown];
    await record({ agencyId: x.id, tenantId: a.id, actor: { type: 'user', id: x.owner.userId }, action: 'test.suspended', target: { type: 'tenant', id: a.id } });
    await record({ agencyId: x.id, tenantId: a.id, actor: { type: 'user', id: x.owner.userId }, action: 'test.role', target: { type: 'membership', id: a.users.tenant_member.membershipId } });
    await record({ agencyId: x.id, tenantId: a.id, actor: { type: 'user', id: 'not-a-user' }, action: 'test.unknown', target: { type: 'thing', id: 't1' } });
    const list = await request(api.app).get('/api/v1/agency/audit/events').set(api.signIn(memberPrincipal(x.id, x.owner))).expect(200);
    const byAction = Object.fromEntries((list.body.events as { action: string; actorName: string | null; targetName: string | null }[]).map((e) => [e.action, e]));
    expect(byAction['test.suspended']).to.deep.include({ actorName: owner!.name, targetName: tenant!.name });
    expect(byAction['test.role']).to.deep.include({ actorName: owner!.name, targetName: member!.name });
    expect(byAction['test.unknown']).to.deep.include({ actorName: null, targetName: null });
    const tenantList = await request(api.app).get('/api/v1/tenant/audit/events').set(api.signIn(memberPrincipal(x.id, a.users.tenant_admin))).expect(200);
    expect(tenantList.body.events.find((e: { action: string }) => e.action === 'test.suspended')).to.deep.include({ actorName: owner!.name });
  });
});

import { expect } from 'chai';
import { QueryTypes, type Sequelize } from 'sequelize';
import { createSequelize } from '../../src/db/sequelize.js';
import { withScope } from '../../src/db/tenant-scope.js';
import { createLogger } from '../../src/logger.js';
import { recordAuditEvent } from '../../src/modules/audit/record-audit-event.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { testDatabase } from '../support/integration-hooks.js';
import { insertToken } from '../support/route-cases.js';

type TableRls = { table: string; enabled: boolean; forced: boolean; policies: number };

describe('row-level security', () => {
  let db: Sequelize;
  let app: Sequelize;
  let x: WorldAgency;
  let tenantTables: string[];

  before(async () => {
    db = superuserSequelize();
    app = createSequelize(testDatabase().appUrl, createLogger({ logLevel: 'silent' }));
    x = await createAgencyWorld(db);
    const [a, b] = x.tenants;
    for (const tenant of [a, b]) {
      await insertToken(db, { agencyId: x.id, tenantId: tenant.id, permissions: ['tenant.read'] });
      await db.query(`INSERT INTO feature_flag_overrides (agency_id, tenant_id, flag_key, enabled) VALUES (:agencyId, :tenantId, 'voice.agent', true)`, {
        replacements: { agencyId: x.id, tenantId: tenant.id },
      });
      await withScope(db, {}, (tx) =>
        recordAuditEvent(tx, { agencyId: x.id, tenantId: tenant.id, actor: { type: 'system' }, action: 'test.seeded' }),
      );
    }
    const rows = await db.query<{ table: string }>(
      `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
       ORDER BY 1`,
      { type: QueryTypes.SELECT },
    );
    tenantTables = rows.map((row) => row.table);
  });
  after(async () => {
    await app.close();
    await db.close();
  });

  it('when any table has a tenant_id column, then it has row-level security enabled, forced and a policy', async () => {
    const rows = await db.query<TableRls>(
      `SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
              (SELECT count(*)::int FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname) AS policies
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relname IN (:tables) OR c.relname = 'tenants' AND n.nspname = 'public'`,
      { replacements: { tables: tenantTables }, type: QueryTypes.SELECT },
    );
    expect(tenantTables).to.include.members(['memberships', 'audit_events', 'service_tokens', 'feature_flag_overrides']);
    const unprotected = rows.filter((row) => !row.enabled || !row.forced || row.policies === 0).map((row) => row.table);
    expect(unprotected, 'tables with tenant_id lacking ENABLE + FORCE row level security + a policy').to.deep.equal([]);
    expect(rows.map((row) => row.table)).to.include.members([...tenantTables, 'tenants']);
  });

  it('when the app role is scoped to tenant A, then a raw SELECT * of every tenant table returns nothing of tenant B', async () => {
    const [a, b] = x.tenants;
    await withScope(app, { agencyId: x.id, tenantId: a.id }, async (transaction) => {
      for (const table of tenantTables) {
        const rows = await app.query<{ tenant_id: string | null }>(`SELECT * FROM "${table}"`, { type: QueryTypes.SELECT, transaction });
        expect(rows.filter((row) => row.tenant_id !== a.id), `${table} rows outside tenant A`).to.deep.equal([]);
      }
      const tenants = await app.query<{ id: string }>('SELECT * FROM tenants', { type: QueryTypes.SELECT, transaction });
      expect(tenants.map((t) => t.id)).to.deep.equal([a.id]);
      const mine = await app.query<{ n: number }>(`SELECT count(*)::int AS n FROM memberships`, { type: QueryTypes.SELECT, transaction });
      expect(mine[0]!.n).to.equal(3);
    });
    void b;
  });

  it('when the app role has no scope, then every tenant table looks empty', async () => {
    await withScope(app, {}, async (transaction) => {
      for (const table of [...tenantTables, 'tenants']) {
        const rows = await app.query(`SELECT * FROM "${table}"`, { type: QueryTypes.SELECT, transaction });
        expect(rows, table).to.have.length(0);
      }
    });
  });

  it('when the app role scoped to tenant A writes a row for tenant B, then the policy rejects it', async () => {
    const [a, b] = x.tenants;
    let error: unknown;
    try {
      await withScope(app, { agencyId: x.id, tenantId: a.id }, (transaction) =>
        app.query(`INSERT INTO memberships (user_id, agency_id, tenant_id, role) VALUES (:userId, :agencyId, :tenantId, 'tenant_admin')`, {
          replacements: { userId: a.users.tenant_member.userId, agencyId: x.id, tenantId: b.id },
          transaction,
        }),
      );
    } catch (err) {
      error = err;
    }
    expect(String(error)).to.match(/row-level security/);
  });

  it('when a user scope is set, then only that user\'s own memberships are readable (sign-in)', async () => {
    const member = x.tenants[1].users.tenant_admin;
    const rows = await withScope(app, { userId: member.userId }, (transaction) =>
      app.query<{ id: string }>('SELECT * FROM memberships', { type: QueryTypes.SELECT, transaction }),
    );
    expect(rows.map((row) => row.id)).to.deep.equal([member.membershipId]);
  });
});

import argon2 from 'argon2';
import { expect } from 'chai';
import { QueryTypes, type Sequelize } from 'sequelize';
import { createMigrator } from '../../src/db/migrator.js';
import { createSequelize } from '../../src/db/sequelize.js';
import { withScope } from '../../src/db/tenant-scope.js';
import { createLogger } from '../../src/logger.js';
import { seedDemo } from '../../src/modules/accounts/seed-demo.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const silent = createLogger({ logLevel: 'silent' });

describe('migrations', () => {
  let db: TestDatabase;
  let sequelize: Sequelize;
  before(async () => {
    db = await createTestDatabase();
    sequelize = createSequelize(db.ownerUrl, silent);
  });
  after(async () => {
    await sequelize.close();
    await db.drop();
  });

  it('when run up, down to zero and up again, then every migration is reversible', async () => {
    const migrator = createMigrator(sequelize, silent);
    const applied = await migrator.up();
    expect(applied.length).to.be.greaterThan(0);
    await migrator.down({ to: 0 });
    expect(await migrator.executed()).to.have.length(0);
    const tables = await sequelize.getQueryInterface().showAllTables();
    expect(tables).to.deep.equal(['schema_migrations']);
    await migrator.up();
    expect(await migrator.pending()).to.have.length(0);
  });

  it('when the app role connects, then it can use the tables but owns none of them', async () => {
    const app = createSequelize(db.appUrl, silent);
    try {
      await app.query('SELECT count(*) FROM tenants');
      const owned = await app.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user`,
        { type: QueryTypes.SELECT },
      );
      expect(owned[0]!.n).to.equal('0');
    } finally {
      await app.close();
    }
  });
});

describe('seedDemo', () => {
  let db: TestDatabase;
  let sequelize: Sequelize;
  before(async () => {
    db = await createTestDatabase();
    sequelize = createSequelize(db.ownerUrl, silent);
    await createMigrator(sequelize, silent).up();
  });
  after(async () => {
    await sequelize.close();
    await db.drop();
  });

  it('when run twice, then the demo agency, tenant and owner login exist exactly once', async () => {
    const first = await seedDemo(sequelize, { email: 'Owner@Example.com', password: 'correct horse battery' });
    const second = await seedDemo(sequelize, { email: 'Owner@Example.com', password: 'another password!' });
    expect(first.created).to.equal(true);
    expect(second.created).to.equal(false);
    // Tenants and memberships are under forced row-level security: count them in the agency's scope.
    const agencyId = first.created ? first.agencyId : '';
    const counts = await withScope(sequelize, { agencyId }, (transaction) =>
      sequelize.query<{ agencies: string; tenants: string; users: string; owners: string }>(
        `SELECT (SELECT count(*) FROM agencies)::text AS agencies, (SELECT count(*) FROM tenants)::text AS tenants,
                (SELECT count(*) FROM users)::text AS users,
                (SELECT count(*) FROM memberships WHERE role = 'agency_owner')::text AS owners`,
        { type: QueryTypes.SELECT, transaction },
      ),
    );
    expect(counts[0]).to.deep.equal({ agencies: '1', tenants: '1', users: '1', owners: '1' });
  });

  it('when seeded, then the password is stored as an argon2id hash that verifies', async () => {
    const [user] = await sequelize.query<{ password_hash: string }>(
      `SELECT password_hash FROM users WHERE lower(email) = 'owner@example.com'`,
      { type: QueryTypes.SELECT },
    );
    expect(user!.password_hash).to.match(/^\$argon2id\$/);
    expect(await argon2.verify(user!.password_hash, 'correct horse battery')).to.equal(true);
  });
});

import pg from 'pg';

/**
 * Creates (if missing) the app database, its owner role (runs migrations, owns tables) and the
 * runtime role the API connects as (no ownership, so row-level security applies to it).
 * Used by the native stack and the test harness; compose does the same in deploy/postgres/init.
 */
export type ProvisionOptions = {
  adminUrl: string;
  database: string;
  owner: { name: string; password: string };
  /** The non-owning runtime role; omit for a database used only by its owner (n8n's). */
  app?: { name: string; password: string };
};

const identifier = /^[a-z_][a-z0-9_]{0,62}$/;

function ident(name: string): string {
  if (!identifier.test(name)) throw new Error(`Unsafe SQL identifier: ${name}`);
  return `"${name}"`;
}

async function ensureRole(client: pg.Client, name: string, password: string): Promise<void> {
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
  const verb = exists.rowCount ? 'ALTER' : 'CREATE';
  await client.query(`${verb} ROLE ${ident(name)} WITH LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD ${client.escapeLiteral(password)}`);
}

export async function provisionDatabase(options: ProvisionOptions): Promise<{ created: boolean }> {
  const { database, owner, app } = options;
  const admin = new pg.Client({ connectionString: options.adminUrl });
  await admin.connect();
  let created = false;
  try {
    await ensureRole(admin, owner.name, owner.password);
    if (app) await ensureRole(admin, app.name, app.password);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!exists.rowCount) {
      await admin.query(`CREATE DATABASE ${ident(database)} OWNER ${ident(owner.name)}`);
      created = true;
    }
  } finally {
    await admin.end();
  }
  const adminUrl = new URL(options.adminUrl);
  adminUrl.pathname = `/${database}`;
  const db = new pg.Client({ connectionString: adminUrl.toString() });
  await db.connect();
  try {
    await db.query(`REVOKE ALL ON SCHEMA public FROM PUBLIC`);
    await db.query(`GRANT ALL ON SCHEMA public TO ${ident(owner.name)}`);
    if (!app) return { created };
    await db.query(`GRANT CONNECT ON DATABASE ${ident(database)} TO ${ident(app.name)}`);
    await db.query(`GRANT USAGE ON SCHEMA public TO ${ident(app.name)}`);
    await db.query(
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(owner.name)} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${ident(app.name)}`,
    );
    await db.query(
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(owner.name)} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${ident(app.name)}`,
    );
  } finally {
    await db.end();
  }
  return { created };
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${ident(database)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

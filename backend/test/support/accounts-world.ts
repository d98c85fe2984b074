import { randomUUID } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import { createSequelize } from '../../src/db/sequelize.js';
import { createLogger } from '../../src/logger.js';
import type { Role } from '../../src/modules/auth/permissions.js';
import { testDatabase } from './integration-hooks.js';
import { ADMIN_URL } from './test-database.js';

/** A superuser connection to the test database: arranges and inspects data beneath row-level security. */
export function superuserSequelize(): Sequelize {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${testDatabase().name}`;
  return createSequelize(url.toString(), createLogger({ logLevel: 'silent' }), { poolMax: 2 });
}

export type WorldTenant = { id: string; slug: string; users: Record<'tenant_owner' | 'tenant_admin' | 'tenant_member', WorldUser> };
export type WorldUser = { userId: string; membershipId: string; role: Role; tenantId: string | null };
export type WorldAgency = {
  id: string;
  owner: WorldUser;
  operator: WorldUser;
  tenants: [WorldTenant, WorldTenant];
};

const unique = () => randomUUID().slice(0, 8);

async function insertId(db: Sequelize, sql: string, replacements: Record<string, unknown>): Promise<string> {
  const rows = await db.query<{ id: string }>(`${sql} RETURNING id`, { replacements, type: QueryTypes.SELECT });
  return rows[0]!.id;
}

/** Test-data mother: a person with one membership. */
export async function createMember(db: Sequelize, input: { agencyId: string; tenantId: string | null; role: Role }): Promise<WorldUser> {
  const tag = unique();
  const userId = await insertId(db, `INSERT INTO users (email, name) VALUES (:email, :name)`, {
    email: `${input.role}-${tag}@example.test`,
    name: `${input.role} ${tag}`,
  });
  const membershipId = await insertId(db, `INSERT INTO memberships (user_id, agency_id, tenant_id, role) VALUES (:userId, :agencyId, :tenantId, :role)`, {
    userId,
    ...input,
  });
  return { userId, membershipId, role: input.role, tenantId: input.tenantId };
}

export async function createTenantRow(db: Sequelize, agencyId: string): Promise<{ id: string; slug: string }> {
  const slug = `t-${unique()}`;
  const id = await insertId(db, `INSERT INTO tenants (agency_id, name, slug, time_zone) VALUES (:agencyId, :name, :slug, 'UTC')`, {
    agencyId,
    name: `Tenant ${slug}`,
    slug,
  });
  return { id, slug };
}

async function createWorldTenant(db: Sequelize, agencyId: string): Promise<WorldTenant> {
  const tenant = await createTenantRow(db, agencyId);
  const member = (role: Role) => createMember(db, { agencyId, tenantId: tenant.id, role });
  return {
    ...tenant,
    users: { tenant_owner: await member('tenant_owner'), tenant_admin: await member('tenant_admin'), tenant_member: await member('tenant_member') },
  };
}

/** An agency with an owner, an operator and two tenants (A and B), each with an owner, admin and member. */
export async function createAgencyWorld(db: Sequelize): Promise<WorldAgency> {
  const id = await insertId(db, `INSERT INTO agencies (name) VALUES (:name)`, { name: `Agency ${unique()}` });
  return {
    id,
    owner: await createMember(db, { agencyId: id, tenantId: null, role: 'agency_owner' }),
    operator: await createMember(db, { agencyId: id, tenantId: null, role: 'agency_operator' }),
    tenants: [await createWorldTenant(db, id), await createWorldTenant(db, id)],
  };
}

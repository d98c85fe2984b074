import { randomUUID } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { Role } from '../../src/modules/auth/permissions.js';
import { hashPassword } from '../../src/modules/auth/password-hashing.js';

// Test-data mothers for the identity tests, written beneath row-level security (superuser connection).
const tag = () => randomUUID().slice(0, 8);

async function insertId(db: Sequelize, sql: string, replacements: Record<string, unknown>): Promise<string> {
  const rows = await db.query<{ id: string }>(`${sql} RETURNING id`, { replacements, type: QueryTypes.SELECT });
  return rows[0]!.id;
}

export type TestPerson = { id: string; email: string; password: string };

export const PASSWORD = 'correct horse battery staple';

export function createAgency(db: Sequelize): Promise<string> {
  return insertId(db, `INSERT INTO agencies (name) VALUES (:name)`, { name: `Agency ${tag()}` });
}

export function createTenant(db: Sequelize, agencyId: string, status: 'active' | 'suspended' = 'active'): Promise<string> {
  const slug = `t-${tag()}`;
  return insertId(db, `INSERT INTO tenants (agency_id, name, slug, status) VALUES (:agencyId, :name, :slug, :status)`, {
    agencyId,
    name: `Tenant ${slug}`,
    slug,
    status,
  });
}

export async function createPerson(
  db: Sequelize,
  memberships: { agencyId: string; tenantId?: string | null; role: Role }[],
  options: { status?: string; email?: string; password?: string | null } = {},
): Promise<TestPerson> {
  const email = options.email ?? `person-${tag()}@example.test`;
  const password = options.password === undefined ? PASSWORD : options.password;
  const id = await insertId(db, `INSERT INTO users (email, name, password_hash, status) VALUES (:email, :name, :hash, :status)`, {
    email,
    name: `Person ${tag()}`,
    hash: password ? await hashPassword(password) : null,
    status: options.status ?? 'active',
  });
  for (const m of memberships) {
    await db.query(`INSERT INTO memberships (user_id, agency_id, tenant_id, role) VALUES (:id, :agencyId, :tenantId, :role)`, {
      replacements: { id, agencyId: m.agencyId, tenantId: m.tenantId ?? null, role: m.role },
    });
  }
  return { id, email, password: password ?? '' };
}

export async function setTenantStatus(db: Sequelize, tenantId: string, status: 'active' | 'suspended'): Promise<void> {
  await db.query(`UPDATE tenants SET status = :status WHERE id = :tenantId`, { replacements: { tenantId, status } });
}

export async function setUserStatus(db: Sequelize, userId: string, status: string): Promise<void> {
  await db.query(`UPDATE users SET status = :status WHERE id = :userId`, { replacements: { userId, status } });
}

/** Audit actions recorded about a target (newest last). */
export async function auditActions(db: Sequelize, targetId: string): Promise<string[]> {
  const rows = await db.query<{ action: string }>(`SELECT action FROM audit_events WHERE target_id = :targetId ORDER BY created_at, seq`, {
    replacements: { targetId },
    type: QueryTypes.SELECT,
  });
  return rows.map((r) => r.action);
}

export async function countUsersWithEmail(db: Sequelize, email: string): Promise<number> {
  const rows = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM users WHERE lower(email) = lower(:email)`, {
    replacements: { email },
    type: QueryTypes.SELECT,
  });
  return Number(rows[0]!.n);
}

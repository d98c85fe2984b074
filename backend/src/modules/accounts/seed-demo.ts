import argon2 from 'argon2';
import { QueryTypes, type Sequelize } from 'sequelize';
import { applyScope } from '../../db/tenant-scope.js';

export type SeedResult =
  | { created: true; agencyId: string; tenantId: string; email: string; password: string }
  | { created: false; email: string };

/** Creates the demo agency, one demo tenant and the agency owner's login, once. */
export async function seedDemo(
  sequelize: Sequelize,
  admin: { email: string; password: string },
): Promise<SeedResult> {
  return sequelize.transaction(async (transaction) => {
    const existing = await sequelize.query<{ id: string }>('SELECT id FROM agencies LIMIT 1', {
      type: QueryTypes.SELECT,
      transaction,
    });
    if (existing.length > 0) return { created: false, email: admin.email };
    const passwordHash = await argon2.hash(admin.password, { type: argon2.argon2id });
    const insert = async (sql: string, replacements: Record<string, unknown>) => {
      const [rows] = (await sequelize.query(`${sql} RETURNING id`, { replacements, transaction })) as [{ id: string }[], unknown];
      return rows[0]!.id;
    };
    const agencyId = await insert('INSERT INTO agencies (name) VALUES (:name)', {
      name: 'Demo Agency',
    });
    // Tenants and memberships are under (forced) row-level security, even for the owner role.
    await applyScope(sequelize, transaction, { agencyId });
    const tenantId = await insert(
      `INSERT INTO tenants (agency_id, name, slug, time_zone) VALUES (:agencyId, :name, :slug, :tz)`,
      { agencyId, name: 'Demo Dental Clinic', slug: 'demo-dental', tz: 'America/New_York' },
    );
    const userId = await insert(
      `INSERT INTO users (email, name, password_hash) VALUES (:email, :name, :passwordHash)`,
      { email: admin.email, name: 'Agency Owner', passwordHash },
    );
    await insert(
      `INSERT INTO memberships (user_id, agency_id, role) VALUES (:userId, :agencyId, 'agency_owner')`,
      { userId, agencyId },
    );
    return { created: true, agencyId, tenantId, email: admin.email, password: admin.password };
  });
}

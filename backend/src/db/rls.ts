import { QueryTypes, type QueryInterface } from 'sequelize';

/**
 * Row-level security helpers for migrations. The request's scope lives in transaction-local settings
 * (see tenant-scope.ts); policies compare rows against them. An unset scope matches nothing.
 *
 * Policies are plain SQL (no helper functions), so any migration may call these helpers whatever its
 * number. Extra branches (e.g. "a user reads their own memberships") are separate permissive policies.
 */
export const SCOPE_SETTINGS = {
  agencyId: 'app.agency_id',
  tenantId: 'app.tenant_id',
  userId: 'app.user_id',
  serviceTokenId: 'app.service_token_id',
} as const;

export type ScopeSetting = keyof typeof SCOPE_SETTINGS;

/** SQL expression for the current scope value (uuid, or NULL when unset). */
export function currentScopeSql(setting: ScopeSetting): string {
  return `nullif(current_setting('${SCOPE_SETTINGS[setting]}', true), '')::uuid`;
}

const identifier = /^[a-z_][a-z0-9_]{0,62}$/;
function ident(name: string): string {
  if (!identifier.test(name)) throw new Error(`Unsafe SQL identifier: ${name}`);
  return `"${name}"`;
}

export type TenantRlsOptions = {
  /** Column holding the tenant id; default tenant_id (the tenants table itself uses id). */
  tenantColumn?: string;
  /** Column holding the agency id; default: agency_id when the table has it, else none. */
  agencyColumn?: string | null;
};

/**
 * The visibility rule. With an agency column: rows of the scoped agency, narrowed to the scoped tenant
 * when one is set (rows with a NULL tenant are agency-level and only visible at agency scope).
 * Without one: the scoped tenant's rows, or at agency scope the rows of the agency's tenants.
 */
export function tenantScopePredicate(options: { tenantColumn?: string; agencyColumn?: string | null } = {}): string {
  const tenant = ident(options.tenantColumn ?? 'tenant_id');
  const currentAgency = currentScopeSql('agencyId');
  const currentTenant = currentScopeSql('tenantId');
  if (options.agencyColumn) {
    const agency = ident(options.agencyColumn);
    return `(${agency} = ${currentAgency} AND (${currentTenant} IS NULL OR ${tenant} = ${currentTenant}))`;
  }
  return `(CASE WHEN ${currentTenant} IS NOT NULL THEN ${tenant} = ${currentTenant}
    ELSE ${tenant} IN (SELECT scope_t.id FROM tenants scope_t WHERE scope_t.agency_id = ${currentAgency}) END)`;
}

export function tenantPolicyName(table: string): string {
  return `${table}_tenant_isolation`;
}

async function hasColumn(qi: QueryInterface, table: string, column: string): Promise<boolean> {
  const rows = await qi.sequelize.query(
    `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = :table AND column_name = :column`,
    { replacements: { table, column }, type: QueryTypes.SELECT },
  );
  return rows.length > 0;
}

/** Enables AND forces RLS on `table` (the owner is bound too) with the tenant isolation policy. */
export async function enableTenantRls(qi: QueryInterface, table: string, options: TenantRlsOptions = {}): Promise<void> {
  const agencyColumn =
    options.agencyColumn !== undefined ? options.agencyColumn : (await hasColumn(qi, table, 'agency_id')) ? 'agency_id' : null;
  const predicate = tenantScopePredicate({ tenantColumn: options.tenantColumn, agencyColumn });
  const t = ident(table);
  await qi.sequelize.query(`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`);
  await qi.sequelize.query(`ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`);
  await qi.sequelize.query(`CREATE POLICY ${ident(tenantPolicyName(table))} ON ${t} USING ${predicate} WITH CHECK ${predicate}`);
}

/** Reverses enableTenantRls (for `down` migrations). */
export async function disableTenantRls(qi: QueryInterface, table: string): Promise<void> {
  const t = ident(table);
  await qi.sequelize.query(`DROP POLICY IF EXISTS ${ident(tenantPolicyName(table))} ON ${t}`);
  await qi.sequelize.query(`ALTER TABLE ${t} NO FORCE ROW LEVEL SECURITY`);
  await qi.sequelize.query(`ALTER TABLE ${t} DISABLE ROW LEVEL SECURITY`);
}

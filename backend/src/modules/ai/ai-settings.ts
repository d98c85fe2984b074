import type { Transaction } from 'sequelize';
import { iso } from '../../db/rows.js';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { queryOne } from '../../db/sql.js';
import type { Actor } from '../../http/request-context.js';
import { tenantScopeOf, type TenantScope } from '../contacts/contact-scope.js';

/** A tenant's AI settings: its model (default: LLM_MODEL) and standing instructions (tone, business facts). */
export type AiSettings = { model: string | null; instructions: string | null; updatedAt: string | null };

const NONE: AiSettings = { model: null, instructions: null, updatedAt: null };

export async function findAiSettings(tx: Transaction, scope: TenantScope): Promise<AiSettings> {
  const row = await queryOne<AiSettings>(
    tx,
    `SELECT model, instructions, updated_at AS "updatedAt" FROM ai_settings WHERE tenant_id = :tenantId`,
    scope,
  );
  return row ? { ...row, updatedAt: iso(row.updatedAt) } : NONE;
}

export function getAiSettings(deps: ScopedDeps, input: { actor: Actor }): Promise<AiSettings> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, (tx) => findAiSettings(tx, scope));
}

/** Replaces the settings (null = back to the default). */
export function saveAiSettings(deps: ScopedDeps, input: { actor: Actor; model: string | null; instructions: string | null }): Promise<AiSettings> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    const row = await queryOne<AiSettings>(
      tx,
      `INSERT INTO ai_settings (agency_id, tenant_id, model, instructions) VALUES (:agencyId, :tenantId, :model, :instructions)
       ON CONFLICT (tenant_id) DO UPDATE SET model = EXCLUDED.model, instructions = EXCLUDED.instructions, updated_at = now()
       RETURNING model, instructions, updated_at AS "updatedAt"`,
      { ...scope, model: input.model, instructions: input.instructions },
    );
    return { ...row!, updatedAt: iso(row!.updatedAt) };
  });
}

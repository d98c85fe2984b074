import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { encryptSecret } from '../../infra/crypto.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { deleteSettingsAt, findSettingsAt, upsertSettings, type Level, type ProviderSettingsRow } from './provider-settings-repository.js';
import type { ProviderOverview, ProviderSettingsBody, ProviderSettingsView } from './schemas.js';
import type { TenantLlms } from './tenant-llms.js';

export type ProviderSettingsDeps = ScopedDeps & { encryptionKey: Buffer; llms: TenantLlms };

/** The level a caller manages: agency routes the agency default, tenant routes the tenant's override. */
export function levelOf(actor: Actor): Level {
  return { agencyId: actor.principal.agencyId, tenantId: actor.principal.tenantId ?? null };
}
const scopeOf = (level: Level) => ({ agencyId: level.agencyId, ...(level.tenantId && { tenantId: level.tenantId }) });

const lastTestOf = (row: ProviderSettingsRow) => (row.testedAt && row.testOk !== null ? { at: row.testedAt, ok: row.testOk, error: row.testError } : null);

export function settingsView(row: ProviderSettingsRow): ProviderSettingsView {
  return {
    level: row.tenantId ? 'tenant' : 'agency', baseUrl: row.baseUrl, apiKeyLast4: row.apiKeyLast4, model: row.model,
    fallbackModel: row.fallbackModel, lastTest: lastTestOf(row), updatedAt: row.updatedAt,
  };
}

/** What is saved at the caller's level and what actually applies (tenant -> agency -> env). */
export async function getProviderSettings(deps: ProviderSettingsDeps, input: { actor: Actor }): Promise<ProviderOverview> {
  const level = levelOf(input.actor);
  const saved = await deps.runInScope(scopeOf(level), (tx) => findSettingsAt(tx, level));
  const resolved = await deps.llms.resolve(scopeOf(level));
  return {
    saved: saved ? settingsView(saved) : null,
    effective: {
      source: resolved.source, baseUrl: resolved.connection?.baseUrl ?? null, model: resolved.connection?.model ?? null,
      fallbackModel: resolved.connection?.fallbackModel ?? null, lastTest: resolved.row ? lastTestOf(resolved.row) : null,
    },
  };
}

const audited = (row: ProviderSettingsRow | undefined) =>
  row && { baseUrl: row.baseUrl, model: row.model, fallbackModel: row.fallbackModel, apiKeyLast4: row.apiKeyLast4 };

/** Saves the caller's level (the key stored encrypted; omitted = keep the saved one). Audited without the key. */
export async function saveProviderSettings(deps: ProviderSettingsDeps, input: { actor: Actor; body: ProviderSettingsBody }): Promise<ProviderSettingsView> {
  const level = levelOf(input.actor);
  const { body } = input;
  return deps.runInScope(scopeOf(level), async (tx) => {
    const before = await findSettingsAt(tx, level);
    if (!body.apiKey && !before) throw new AppError('VALIDATION_FAILED', 'Enter the API key', [{ path: 'body.apiKey', message: 'Enter the API key' }]);
    const key = body.apiKey
      ? { apiKeyCiphertext: encryptSecret(deps.encryptionKey, body.apiKey), apiKeyLast4: body.apiKey.slice(-4) }
      : { apiKeyCiphertext: before!.apiKeyCiphertext, apiKeyLast4: before!.apiKeyLast4 };
    const row = await upsertSettings(tx, level, { baseUrl: body.baseUrl, model: body.model, fallbackModel: body.fallbackModel ?? null, ...key });
    await recordAuditEvent(tx, {
      ...level, ...auditOrigin(input.actor), action: before ? 'ai_provider.updated' : 'ai_provider.set',
      target: { type: 'ai_provider', id: row.id }, before: audited(before), after: audited(row),
    });
    return settingsView(row);
  });
}

/** Removes the caller's level: the tenant falls back to the agency's model, the agency to the env default. */
export async function clearProviderSettings(deps: ProviderSettingsDeps, input: { actor: Actor }): Promise<void> {
  const level = levelOf(input.actor);
  await deps.runInScope(scopeOf(level), async (tx) => {
    const before = await findSettingsAt(tx, level);
    if (!before || !(await deleteSettingsAt(tx, level))) throw new AppError('NOT_FOUND', 'No AI model is saved here');
    await recordAuditEvent(tx, {
      ...level, ...auditOrigin(input.actor), action: 'ai_provider.cleared', target: { type: 'ai_provider', id: before.id }, before: audited(before),
    });
  });
}

import { UnconfiguredLlm } from '../../adapters/llm/select-llm.js';
import type { LlmConfig } from '../../config.js';
import type { RunInScope } from '../../db/tenant-scope.js';
import { decryptSecret } from '../../infra/crypto.js';
import type { LlmConnection, LlmFactory, LlmPort } from '../../ports/llm.js';
import { findEffectiveSettings, type ProviderSettingsRow } from './provider-settings-repository.js';

/** Where a tenant's (or, without tenantId, the agency's) model comes from. */
export type LlmSource = 'tenant' | 'agency' | 'environment' | 'none';

export type ResolvedLlm = {
  source: LlmSource;
  /** null when nothing is set up anywhere. */
  connection: LlmConnection | null;
  /** The saved settings it came from (tenant or agency source). */
  row: ProviderSettingsRow | null;
  llm: LlmPort;
};

export type TenantLlmDeps = { runInScope: RunInScope; encryptionKey: Buffer; env: LlmConfig; build: LlmFactory };

const MAX_CACHED_CLIENTS = 200;

/**
 * Every LLM use goes through here: the tenant's own settings, else its agency's, else the installation's
 * LLM_* env. Clients are cached per connection so a busy tenant does not build one per turn.
 */
export class TenantLlms {
  private readonly clients = new Map<string, LlmPort>();
  /** Live checks that passed recently (agent switch-on), by connection key: expiry in ms. */
  private readonly ready = new Map<string, number>();

  constructor(private readonly deps: TenantLlmDeps) {}

  async resolve(scope: { agencyId: string; tenantId?: string }): Promise<ResolvedLlm> {
    const row = await this.deps.runInScope(scope, (tx) => findEffectiveSettings(tx, scope));
    if (row) {
      const connection = {
        baseUrl: row.baseUrl, apiKey: decryptSecret(this.deps.encryptionKey, row.apiKeyCiphertext), model: row.model,
        ...(row.fallbackModel && { fallbackModel: row.fallbackModel }),
      };
      return { source: row.tenantId ? 'tenant' : 'agency', connection, row, llm: this.connect(connection) };
    }
    const { env } = this.deps;
    if (!env.apiKey) return { source: 'none', connection: null, row: null, llm: new UnconfiguredLlm() };
    const connection = { baseUrl: env.baseUrl, apiKey: env.apiKey, model: env.model, ...(env.fallbackModel && { fallbackModel: env.fallbackModel }) };
    return { source: 'environment', connection, row: null, llm: this.connect(connection) };
  }

  async forTenant(scope: { agencyId: string; tenantId: string }): Promise<LlmPort> {
    return (await this.resolve(scope)).llm;
  }

  /** Whether a live check of this connection passed within the last `ttlMs`. */
  recentlyReady(connection: LlmConnection, now = Date.now()): boolean {
    return (this.ready.get(keyOf(connection)) ?? 0) > now;
  }

  markReady(connection: LlmConnection, ttlMs: number, now = Date.now()): void {
    this.ready.set(keyOf(connection), now + ttlMs);
  }

  private connect(connection: LlmConnection): LlmPort {
    const key = keyOf(connection);
    let client = this.clients.get(key);
    if (!client) {
      if (this.clients.size >= MAX_CACHED_CLIENTS) this.clients.delete(this.clients.keys().next().value!);
      client = this.deps.build(connection);
      this.clients.set(key, client);
    }
    return client;
  }
}

const keyOf = (c: LlmConnection) => JSON.stringify([c.baseUrl, c.apiKey, c.model, c.fallbackModel ?? null]);

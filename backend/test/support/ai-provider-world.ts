import type { Sequelize } from 'sequelize';
import { encryptSecret } from '../../src/infra/crypto.js';
import { testEncryptionKey } from './env.js';
import { providerFakes } from './provider-fakes.js';

/** A body for PUT .../ai-provider aimed at the fake OpenAI (a key it accepts unless `apiKey` says otherwise). */
export function aiProviderBody(overrides: { apiKey?: string; model?: string; fallbackModel?: string | null; baseUrl?: string } = {}) {
  const fake = providerFakes();
  return { baseUrl: fake.openai.baseUrl, apiKey: fake.llmApiKey, model: 'gpt-4.1-mini', ...overrides };
}

/** Saved AI settings beneath RLS (tenantId null: the agency default), pointing at the fake OpenAI. */
export async function insertAiProvider(db: Sequelize, level: { agencyId: string; tenantId: string | null }, model = 'gpt-4.1-mini'): Promise<void> {
  const fake = providerFakes();
  await db.query(
    `INSERT INTO ai_provider_settings (agency_id, tenant_id, base_url, api_key_ciphertext, api_key_last4, model)
     VALUES (:agencyId, :tenantId, :baseUrl, :cipher, :last4, :model) ON CONFLICT DO NOTHING`,
    {
      replacements: {
        ...level, baseUrl: fake.openai.baseUrl, cipher: encryptSecret(testEncryptionKey(), fake.llmApiKey), last4: fake.llmApiKey.slice(-4), model,
      },
    },
  );
}

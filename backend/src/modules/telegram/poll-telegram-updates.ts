import type { Sequelize } from 'sequelize';
import { queryRows } from '../../db/sql.js';
import { withScope } from '../../db/tenant-scope.js';
import type { TelegramBotAdmin } from '../../adapters/messaging/telegram-bot-admin.js';
import type { Logger } from '../../logger.js';
import { listAgencyIds } from '../outbox/outbox-repository.js';
import type { CredentialRow } from '../provider-credentials/credential-repository.js';
import { openTelegramBot } from './telegram-account.js';
import { acceptTelegramUpdate, type TelegramWebhookDeps } from './webhook-routes.js';

type PollDeps = TelegramWebhookDeps & { sequelize: Sequelize; admin: TelegramBotAdmin; logger: Logger };

/**
 * Long polling for installs without a public HTTPS URL: every bot connected in polling mode is asked for
 * its new updates, each one is accepted exactly like a webhook delivery, and the offset moves past them
 * only after they are stored (a crash re-reads them; the provider message id dedupes).
 */
export async function pollTelegramUpdates(deps: PollDeps): Promise<number> {
  const agencyIds = await deps.sequelize.transaction((tx) => listAgencyIds(tx));
  let accepted = 0;
  for (const agencyId of agencyIds) {
    const rows = await withScope(deps.sequelize, { agencyId }, (tx) =>
      queryRows<CredentialRow & { tenantId: string }>(
        tx,
        `SELECT tenant_id AS "tenantId", agency_id AS "agencyId", provider, secret_ciphertext AS "secretCiphertext", metadata, updated_at AS "updatedAt"
         FROM provider_credentials WHERE provider = 'telegram' AND metadata->>'updates' = 'polling'`,
      ),
    );
    for (const row of rows) {
      const bot = openTelegramBot(deps.encryptionKey, row);
      try {
        const updates = await deps.admin.updates(bot.botToken, bot.pollOffset);
        for (const update of updates) await acceptTelegramUpdate(deps, { agencyId, tenantId: row.tenantId, botId: bot.botId, update });
        if (updates.length === 0) continue;
        const next = Math.max(...updates.map((u) => u.update_id)) + 1;
        await withScope(deps.sequelize, { agencyId, tenantId: row.tenantId }, (tx) =>
          queryRows(tx, `UPDATE provider_credentials SET metadata = jsonb_set(metadata, '{pollOffset}', to_jsonb(CAST(:next AS int))) WHERE tenant_id = :tenantId AND provider = 'telegram'`, { next, tenantId: row.tenantId }),
        );
        accepted += updates.length;
      } catch (err) {
        deps.logger.warn({ tenantId: row.tenantId, botId: bot.botId, err: (err as Error).message }, 'telegram polling failed');
      }
    }
  }
  return accepted;
}

import type { Transaction } from 'sequelize';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { findCredential, findCredentialForWorker, type ProviderName } from './credential-repository.js';
import { openTwilioCredentials, type TwilioCredentials } from './twilio-credential-record.js';
import { openCloudAccount } from '../whatsapp-cloud/cloud-account.js';
import { openTelegramBot } from '../telegram/telegram-account.js';

export type CredentialDeps = ScopedDeps & { encryptionKey: Buffer };

function isProvider(provider: string): provider is ProviderName {
  return provider === 'twilio' || provider === 'whatsapp_cloud' || provider === 'telegram';
}

function strip({ accountSid, authToken, phoneNumbers }: TwilioCredentials): TwilioCredentials {
  return { accountSid, authToken, phoneNumbers };
}

/** Decrypted credentials inside a scope the caller already holds (tenant scope); undefined when none. */
export async function readCredentials(
  tx: Transaction,
  encryptionKey: Buffer,
  where: { tenantId: string; provider: string },
): Promise<TwilioCredentials | undefined> {
  if (where.provider !== 'twilio') return undefined;
  const row = await findCredential(tx, { tenantId: where.tenantId, provider: where.provider });
  return row && strip(openTwilioCredentials(encryptionKey, row));
}

/**
 * For the send worker: `(tenantId, provider) => credentials | undefined` (see LoadCredentials in
 * modules/outbox). Passed as-is to the adapters; never logged.
 */
export function credentialLoader(deps: CredentialDeps): (tenantId: string, provider: string) => Promise<unknown> {
  return (tenantId, provider) => {
    // No credentials for these: replies are read by our own widget; a linked device's session is its credential.
    if (provider === 'web_chat' || provider === 'baileys') return Promise.resolve({});
    if (!isProvider(provider)) return Promise.resolve(undefined);
    return deps.runInScope({}, async (tx) => {
      const row = await findCredentialForWorker(tx, { tenantId, provider });
      if (!row) return undefined;
      if (provider === 'telegram') {
        const bot = openTelegramBot(deps.encryptionKey, row);
        return { botToken: bot.botToken, botId: bot.botId };
      }
      if (provider === 'whatsapp_cloud') {
        const account = openCloudAccount(deps.encryptionKey, row);
        return { accessToken: account.accessToken, phoneNumberId: account.phoneNumberId, displayNumber: account.displayNumber };
      }
      return strip(openTwilioCredentials(deps.encryptionKey, row));
    });
  };
}

export function loadCredentials(deps: CredentialDeps, input: { agencyId: string; tenantId: string; provider: string }): Promise<TwilioCredentials | undefined> {
  return deps.runInScope({ agencyId: input.agencyId, tenantId: input.tenantId }, (tx) => readCredentials(tx, deps.encryptionKey, input));
}

import type { Transaction } from 'sequelize';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { findCredential, findCredentialForWorker, type ProviderName } from './credential-repository.js';
import { openTwilioCredentials, type TwilioCredentials } from './twilio-credential-record.js';

export type CredentialDeps = ScopedDeps & { encryptionKey: Buffer };

function isProvider(provider: string): provider is ProviderName {
  return provider === 'twilio';
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
  if (!isProvider(where.provider)) return undefined;
  const row = await findCredential(tx, { tenantId: where.tenantId, provider: where.provider });
  return row && strip(openTwilioCredentials(encryptionKey, row));
}

/**
 * For the send worker: `(tenantId, provider) => credentials | undefined` (see LoadCredentials in
 * modules/outbox). Passed as-is to the adapters; never logged.
 */
export function credentialLoader(deps: CredentialDeps): (tenantId: string, provider: string) => Promise<TwilioCredentials | undefined> {
  return (tenantId, provider) => {
    if (!isProvider(provider)) return Promise.resolve(undefined);
    return deps.runInScope({}, async (tx) => {
      const row = await findCredentialForWorker(tx, { tenantId, provider });
      return row && strip(openTwilioCredentials(deps.encryptionKey, row));
    });
  };
}

export function loadCredentials(deps: CredentialDeps, input: { agencyId: string; tenantId: string; provider: string }): Promise<TwilioCredentials | undefined> {
  return deps.runInScope({ agencyId: input.agencyId, tenantId: input.tenantId }, (tx) => readCredentials(tx, deps.encryptionKey, input));
}

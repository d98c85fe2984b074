import { isUniqueViolation } from '../../db/sql.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { deleteCredential, findCredential, replaceNumbers, upsertCredential, type CredentialRow } from './credential-repository.js';
import type { CredentialDeps } from './load-credentials.js';
import type { TwilioCredentialsView } from './schemas.js';
import { sealTwilioSecret, twilioMetadata, type TwilioMetadata } from './twilio-credential-record.js';

export function twilioView(row: CredentialRow): TwilioCredentialsView {
  const metadata = twilioMetadata.parse(row.metadata);
  return { provider: 'twilio', ...metadata, updatedAt: row.updatedAt };
}

export function tenantOf(actor: Actor): { agencyId: string; tenantId: string } {
  return { agencyId: actor.principal.agencyId, tenantId: actor.principal.tenantId! };
}

export type VerifiedAccountDetails = Pick<TwilioMetadata, 'accountName' | 'availableNumbers' | 'webhooks'>;

/**
 * Stores (or replaces) the tenant's Twilio account and routes its chosen numbers' webhooks to the tenant.
 * The remote checks happen before, in connectTwilioAccount / chooseTwilioNumber. Audited without the secret.
 */
export async function saveTwilioCredentials(
  deps: CredentialDeps,
  input: { actor: Actor; accountSid: string; authToken: string; phoneNumbers: string[]; missedCallMaxSeconds?: number | null; details?: VerifiedAccountDetails },
): Promise<TwilioCredentialsView> {
  const scope = tenantOf(input.actor);
  const metadata: TwilioMetadata = {
    accountSidLast4: input.accountSid.slice(-4),
    phoneNumbers: input.phoneNumbers,
    missedCallMaxSeconds: input.missedCallMaxSeconds ?? null,
    accountName: input.details?.accountName ?? null,
    availableNumbers: input.details?.availableNumbers ?? [],
    webhooks: input.details?.webhooks ?? null,
  };
  try {
    return await deps.runInScope(scope, async (tx) => {
      const before = await findCredential(tx, { tenantId: scope.tenantId, provider: 'twilio', forUpdate: true });
      const row = await upsertCredential(tx, {
        ...scope, provider: 'twilio', metadata,
        secretCiphertext: sealTwilioSecret(deps.encryptionKey, { accountSid: input.accountSid, authToken: input.authToken }),
      });
      await replaceNumbers(tx, { ...scope, provider: 'twilio', addresses: input.phoneNumbers });
      await recordAuditEvent(tx, {
        ...scope, ...auditOrigin(input.actor),
        action: before ? 'provider_account.updated' : 'provider_account.connected',
        target: { type: 'provider_account', id: 'twilio' },
        before: before ? { provider: 'twilio', ...twilioMetadata.parse(before.metadata) } : undefined,
        after: { provider: 'twilio', ...metadata },
      });
      return twilioView(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', 'One of these phone numbers is already connected to another account on this installation');
    throw err;
  }
}

export async function getTwilioCredentials(deps: CredentialDeps, input: { actor: Actor }): Promise<TwilioCredentialsView> {
  const scope = tenantOf(input.actor);
  const row = await deps.runInScope(scope, (tx) => findCredential(tx, { tenantId: scope.tenantId, provider: 'twilio' }));
  if (!row) throw new AppError('NOT_FOUND', 'No Twilio account is connected');
  return twilioView(row);
}

export async function deleteTwilioCredentials(deps: CredentialDeps, input: { actor: Actor }): Promise<void> {
  const scope = tenantOf(input.actor);
  await deps.runInScope(scope, async (tx) => {
    const before = await findCredential(tx, { tenantId: scope.tenantId, provider: 'twilio', forUpdate: true });
    if (!before || !(await deleteCredential(tx, { tenantId: scope.tenantId, provider: 'twilio' }))) {
      throw new AppError('NOT_FOUND', 'No Twilio account is connected');
    }
    await recordAuditEvent(tx, {
      ...scope, ...auditOrigin(input.actor),
      action: 'provider_account.disconnected',
      target: { type: 'provider_account', id: 'twilio' },
      before: { provider: 'twilio', ...twilioMetadata.parse(before.metadata) },
    });
  });
}

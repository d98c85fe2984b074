import { z } from 'zod';
import type { Transaction } from 'sequelize';
import { isUniqueViolation } from '../../db/sql.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { decryptSecret, encryptSecret } from '../../infra/crypto.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { deleteCredential, findCredential, replaceNumbers, upsertCredential, type CredentialRow } from '../provider-credentials/credential-repository.js';
import type { CredentialDeps } from '../provider-credentials/load-credentials.js';
import { findMessagingSettings, saveMessagingSettings } from '../policy/messaging-settings.js';
import { assertEntitled } from '../entitlements/check-entitlement.js';

/** Connecting a Cloud API number makes it the tenant's WhatsApp transport; disconnecting goes back to the linked device. */
async function useTransport(tx: Transaction, scope: { agencyId: string; tenantId: string }, transport: 'cloud' | 'baileys'): Promise<void> {
  const settings = await findMessagingSettings(tx, scope);
  if (settings.whatsappTransport !== transport) await saveMessagingSettings(tx, { ...scope, settings: { ...settings, whatsappTransport: transport } });
}

// A tenant's WhatsApp Business number on Meta's Cloud API. Secrets (access token, app secret that signs
// webhooks, verify token of the subscription handshake) are encrypted together; the ids are plain metadata.
const secrets = z.object({ accessToken: z.string(), appSecret: z.string(), verifyToken: z.string() });
const metadata = z.object({ phoneNumberId: z.string(), displayNumber: z.string(), accessTokenLast4: z.string() });
export type CloudSecrets = z.infer<typeof secrets>;
export type CloudMetadata = z.infer<typeof metadata>;
export type CloudAccount = CloudSecrets & CloudMetadata;
export type CloudAccountView = { provider: 'whatsapp_cloud'; phoneNumberId: string; displayNumber: string; accessTokenLast4: string; webhookPath: string; updatedAt: string };

export function openCloudAccount(key: Buffer, row: CredentialRow): CloudAccount {
  return { ...secrets.parse(JSON.parse(decryptSecret(key, row.secretCiphertext))), ...metadata.parse(row.metadata) };
}

/** The tenant's account inside a scope the caller holds. */
export async function findCloudAccount(tx: Transaction, key: Buffer, tenantId: string): Promise<CloudAccount | undefined> {
  const row = await findCredential(tx, { tenantId, provider: 'whatsapp_cloud' });
  return row && openCloudAccount(key, row);
}

const scopeOf = (actor: Actor) => ({ agencyId: actor.principal.agencyId, tenantId: actor.principal.tenantId! });
const view = (row: CredentialRow, scope: { agencyId: string; tenantId: string }): CloudAccountView => ({
  provider: 'whatsapp_cloud', ...metadata.parse(row.metadata), webhookPath: `/webhooks/whatsapp-cloud/${scope.agencyId}/${scope.tenantId}`, updatedAt: row.updatedAt,
});

export async function saveCloudAccount(deps: CredentialDeps, input: { actor: Actor } & CloudSecrets & Omit<CloudMetadata, 'accessTokenLast4'>): Promise<CloudAccountView> {
  const scope = scopeOf(input.actor);
  const meta: CloudMetadata = { phoneNumberId: input.phoneNumberId, displayNumber: input.displayNumber, accessTokenLast4: input.accessToken.slice(-4) };
  const sealed = encryptSecret(deps.encryptionKey, JSON.stringify(secrets.parse(input)));
  try {
    return await deps.runInScope(scope, async (tx) => {
      await assertEntitled(tx, scope, { kind: 'channel.enable', channel: 'whatsapp_cloud' });
      const before = await findCredential(tx, { tenantId: scope.tenantId, provider: 'whatsapp_cloud', forUpdate: true });
      const row = await upsertCredential(tx, { ...scope, provider: 'whatsapp_cloud', metadata: meta, secretCiphertext: sealed });
      await replaceNumbers(tx, { ...scope, provider: 'whatsapp_cloud', addresses: [input.phoneNumberId] });
      await useTransport(tx, scope, 'cloud');
      await recordAuditEvent(tx, {
        ...scope, ...auditOrigin(input.actor), action: before ? 'provider_account.updated' : 'provider_account.connected',
        target: { type: 'provider_account', id: 'whatsapp_cloud' }, after: { provider: 'whatsapp_cloud', ...meta },
      });
      return view(row, scope);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', 'This WhatsApp phone number id is already connected to another account on this installation');
    throw err;
  }
}

export async function getCloudAccount(deps: CredentialDeps, input: { actor: Actor }): Promise<CloudAccountView> {
  const scope = scopeOf(input.actor);
  const row = await deps.runInScope(scope, (tx) => findCredential(tx, { tenantId: scope.tenantId, provider: 'whatsapp_cloud' }));
  if (!row) throw new AppError('NOT_FOUND', 'No WhatsApp Cloud API number is connected');
  return view(row, scope);
}

export async function deleteCloudAccount(deps: CredentialDeps, input: { actor: Actor }): Promise<void> {
  const scope = scopeOf(input.actor);
  await deps.runInScope(scope, async (tx) => {
    if (!(await deleteCredential(tx, { tenantId: scope.tenantId, provider: 'whatsapp_cloud' }))) throw new AppError('NOT_FOUND', 'No WhatsApp Cloud API number is connected');
    await useTransport(tx, scope, 'baileys');
    await recordAuditEvent(tx, { ...scope, ...auditOrigin(input.actor), action: 'provider_account.disconnected', target: { type: 'provider_account', id: 'whatsapp_cloud' } });
  });
}

import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';
import type { RunInScope } from '../../db/tenant-scope.js';
import { DecryptionError, decryptSecret, encryptSecret } from '../../infra/crypto.js';
import type { AuthEntryStore } from '../../ports/whatsapp-linked-device.js';
import type { TenantScope } from '../contacts/contact-scope.js';

export type SessionState = 'connecting' | 'qr' | 'open' | 'logged_out' | 'banned' | 'stopped';

export type LinkedDevice = {
  tenantId: string;
  agencyId: string;
  state: SessionState;
  phone: string | null;
  lastError: string | null;
  warnings: string[];
  reconnectAttempts: number;
  pairedAt: Date | null;
  updatedAt: Date;
};

const COLUMNS = `tenant_id AS "tenantId", agency_id AS "agencyId", state, phone, last_error AS "lastError", warnings,
  reconnect_attempts AS "reconnectAttempts", paired_at AS "pairedAt", updated_at AS "updatedAt"`;

export async function findLinkedDevice(tx: Transaction, where: { tenantId: string }): Promise<LinkedDevice | undefined> {
  return queryOne<LinkedDevice>(tx, `SELECT ${COLUMNS} FROM whatsapp_linked_devices WHERE tenant_id = :tenantId`, where);
}

/**
 * Sessions a worker should bring back when it starts: paired ones (reconnect, no QR) and pairings asked for
 * in the last 10 minutes (a new QR); never logged-out or banned ones.
 */
export async function resumableDevices(tx: Transaction, where: { agencyId: string }): Promise<LinkedDevice[]> {
  return queryRows<LinkedDevice>(
    tx,
    `SELECT ${COLUMNS} FROM whatsapp_linked_devices WHERE agency_id = :agencyId AND state IN ('connecting', 'qr', 'open')
       AND (paired_at IS NOT NULL OR updated_at > now() - interval '10 minutes')`,
    where,
  );
}

export async function saveLinkedDevice(
  tx: Transaction,
  input: TenantScope & { state: SessionState; phone?: string | null; jid?: string | null; lastError?: string | null; warnings?: string[]; reconnectAttempts?: number; paired?: boolean },
): Promise<LinkedDevice> {
  const row = await queryOne<LinkedDevice>(
    tx,
    `INSERT INTO whatsapp_linked_devices (tenant_id, agency_id, state, phone, jid, last_error, warnings, reconnect_attempts, paired_at)
     VALUES (:tenantId, :agencyId, :state, :phone, :jid, :lastError, CAST(:warnings AS jsonb), :reconnectAttempts, CASE WHEN :paired THEN now() END)
     ON CONFLICT (tenant_id) DO UPDATE SET state = EXCLUDED.state,
       phone = coalesce(EXCLUDED.phone, whatsapp_linked_devices.phone), jid = coalesce(EXCLUDED.jid, whatsapp_linked_devices.jid),
       last_error = EXCLUDED.last_error, warnings = EXCLUDED.warnings, reconnect_attempts = EXCLUDED.reconnect_attempts,
       paired_at = coalesce(EXCLUDED.paired_at, whatsapp_linked_devices.paired_at), updated_at = now()
     RETURNING ${COLUMNS}`,
    {
      ...input, phone: input.phone ?? null, jid: input.jid ?? null, lastError: input.lastError?.slice(0, 500) ?? null,
      warnings: JSON.stringify(input.warnings ?? []), reconnectAttempts: input.reconnectAttempts ?? 0, paired: input.paired ?? false,
    },
  );
  return row!;
}

/** Logged out or banned: the pairing is gone, so is the phone it was for. */
export async function forgetPairing(tx: Transaction, where: { tenantId: string }): Promise<void> {
  await queryRows(tx, `UPDATE whatsapp_linked_devices SET paired_at = NULL WHERE tenant_id = :tenantId`, where);
  await queryRows(tx, `DELETE FROM whatsapp_auth_entries WHERE tenant_id = :tenantId`, where);
}

/**
 * Data restored onto an install with another ENCRYPTION_KEY lands here: the error says which key to use
 * (GCM alone only says "failed authentication"), and the session keeps its stored state instead of a new QR.
 */
function decryptAuthEntry(key: Buffer, category: string, ciphertext: string): string {
  try {
    return decryptSecret(key, ciphertext);
  } catch (err) {
    if (!(err instanceof DecryptionError)) throw err;
    throw new DecryptionError(
      `The stored WhatsApp session (${category}) cannot be decrypted with this installation's ENCRYPTION_KEY (${err.message}): ` +
        'run with the key it was saved with (make restore writes the key from the backup into .env), or pair the number again',
    );
  }
}

/** The session's auth state, AES-256-GCM encrypted per entry with the installation's key. */
export function encryptedAuthStore(deps: { runInScope: RunInScope; encryptionKey: Buffer }, scope: TenantScope): AuthEntryStore {
  return {
    async read(category, ids) {
      if (ids.length === 0) return {};
      const rows = await deps.runInScope(scope, (tx) => queryRows<{ id: string; ciphertext: string }>(
        tx,
        `SELECT key_id AS id, ciphertext FROM whatsapp_auth_entries WHERE tenant_id = :tenantId AND category = :category AND key_id IN (:ids)`,
        { tenantId: scope.tenantId, category, ids: [...ids] },
      ));
      return Object.fromEntries(rows.map((row) => [row.id, decryptAuthEntry(deps.encryptionKey, category, row.ciphertext)]));
    },
    async write(entries) {
      if (entries.length === 0) return;
      await deps.runInScope(scope, async (tx) => {
        for (const entry of entries) {
          const where = { tenantId: scope.tenantId, category: entry.category, id: entry.id };
          if (entry.value === null) {
            await queryRows(tx, `DELETE FROM whatsapp_auth_entries WHERE tenant_id = :tenantId AND category = :category AND key_id = :id`, where);
          } else {
            await queryRows(
              tx,
              `INSERT INTO whatsapp_auth_entries (tenant_id, agency_id, category, key_id, ciphertext) VALUES (:tenantId, :agencyId, :category, :id, :ciphertext)
               ON CONFLICT (tenant_id, category, key_id) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, updated_at = now()`,
              { ...where, agencyId: scope.agencyId, ciphertext: encryptSecret(deps.encryptionKey, entry.value) },
            );
          }
        }
      });
    },
    async clear() {
      await deps.runInScope(scope, (tx) => queryRows(tx, `DELETE FROM whatsapp_auth_entries WHERE tenant_id = :tenantId`, scope));
    },
  };
}

export async function saveInboundMedia(
  tx: Transaction,
  input: TenantScope & { messageId: string; kind: string; mimeType: string; fileName: string | null; data: Buffer },
): Promise<void> {
  await queryRows(
    tx,
    `INSERT INTO message_media (message_id, tenant_id, agency_id, kind, mime_type, file_name, size_bytes, data)
     VALUES (:messageId, :tenantId, :agencyId, :kind, :mimeType, :fileName, :size, :data) ON CONFLICT (message_id) DO NOTHING`,
    { ...input, size: input.data.length },
  );
}

export async function findMedia(tx: Transaction, where: { tenantId: string; messageId: string }) {
  return queryOne<{ kind: string; mimeType: string; fileName: string | null; sizeBytes: number; data: Buffer }>(
    tx,
    `SELECT kind, mime_type AS "mimeType", file_name AS "fileName", size_bytes AS "sizeBytes", data FROM message_media
     WHERE tenant_id = :tenantId AND message_id = :messageId`,
    where,
  );
}

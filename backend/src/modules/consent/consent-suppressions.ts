import type { Transaction } from 'sequelize';
import { queryRows } from '../../db/sql.js';
import type { Channel } from '../../ports/messaging.js';

/**
 * Opt-outs that outlive an erased contact (table consent_suppressions): kept as hashes of the addresses
 * the contact had, so a new contact with one of those addresses starts opted out on that channel.
 */

/**
 * The suppressions matching contact :contactId's current addresses, shaped like consent_events rows (an
 * opt_out from source `erased_contact`) so they take part in "latest event per channel wins": an opt-in
 * the new contact gives later still counts. seq 0 lets the contact's own event win a tie.
 */
export const SUPPRESSION_EVENTS_SQL = `SELECT s.id, c.id AS contact_id, s.channel, CAST('opt_out' AS varchar) AS kind,
    CAST('erased_contact' AS varchar) AS source, CAST(NULL AS text) AS wording, CAST(NULL AS jsonb) AS evidence,
    CAST(NULL AS varchar) AS keyword, CAST(NULL AS uuid) AS message_id, CAST('system' AS varchar) AS actor_type,
    CAST(NULL AS varchar) AS actor_id, s.opted_out_at AS occurred_at, s.created_at, CAST(0 AS bigint) AS seq
  FROM consent_suppressions s JOIN contacts c ON c.id = :contactId AND c.tenant_id = s.tenant_id
  WHERE s.tenant_id = :tenantId AND s.erased_contact_id <> c.id
    AND s.address_hash IN (erased_address_hash(c.tenant_id, c.phone), erased_address_hash(c.tenant_id, c.whatsapp_id),
      erased_address_hash(c.tenant_id, c.telegram_chat_id))`;

export type Suppression = { channel: Channel; optedOutAt: string };

/** Keeps each opt-out of a contact about to be erased, once per address it had (hashed in the database). */
export async function insertSuppressions(
  tx: Transaction,
  input: { agencyId: string; tenantId: string; contactId: string; addresses: string[]; optOuts: Suppression[] },
): Promise<void> {
  for (const optOut of input.optOuts) {
    for (const address of input.addresses) {
      await queryRows(
        tx,
        `INSERT INTO consent_suppressions (agency_id, tenant_id, channel, address_hash, erased_contact_id, opted_out_at)
         VALUES (:agencyId, :tenantId, :channel, erased_address_hash(:tenantId, :address), :contactId, :optedOutAt)
         ON CONFLICT DO NOTHING`,
        { agencyId: input.agencyId, tenantId: input.tenantId, contactId: input.contactId, channel: optOut.channel, address, optedOutAt: optOut.optedOutAt },
      );
    }
  }
}

import type { Transaction } from 'sequelize';
import { iso } from '../../db/rows.js';
import { queryOne, queryRows } from '../../db/sql.js';

export type Contact = {
  id: string;
  tenantId: string;
  phone: string | null;
  whatsappId: string | null;
  telegramChatId: string | null;
  country: string | null;
  timeZone: string | null;
  timeZoneSource: 'inferred' | 'manual' | null;
  name: string | null;
  email: string | null;
  leadStage: string;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
};

/** Channel address columns a contact can be found by. */
export type AddressColumn = 'phone' | 'whatsapp_id' | 'telegram_chat_id';

const COLUMNS = `id, tenant_id AS "tenantId", phone, whatsapp_id AS "whatsappId", telegram_chat_id AS "telegramChatId",
  country, time_zone AS "timeZone", time_zone_source AS "timeZoneSource", name, email, lead_stage AS "leadStage", notes,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

function plain(row: Contact): Contact {
  return { ...row, country: row.country?.trim() ?? null, createdAt: iso(row.createdAt)!, updatedAt: iso(row.updatedAt)! };
}

export async function findContact(tx: Transaction, where: { tenantId: string; contactId: string; forUpdate?: boolean }): Promise<Contact | undefined> {
  const row = await queryOne<Contact>(
    tx,
    `SELECT ${COLUMNS} FROM contacts WHERE id = :contactId AND tenant_id = :tenantId${where.forUpdate ? ' FOR UPDATE' : ''}`,
    where,
  );
  return row && plain(row);
}

export async function findContactByAddress(
  tx: Transaction,
  where: { tenantId: string; column: AddressColumn; value: string },
): Promise<Contact | undefined> {
  const row = await queryOne<Contact>(tx, `SELECT ${COLUMNS} FROM contacts WHERE tenant_id = :tenantId AND ${where.column} = :value`, where);
  return row && plain(row);
}

export type ContactFields = Partial<Pick<Contact, 'name' | 'email' | 'leadStage' | 'notes' | 'whatsappId' | 'telegramChatId'>>;
export type TimeZoneChoice = { timeZone: string | null; source: 'inferred' | 'manual' | null };

/**
 * Inserts the contact for `phone` or updates the existing one (one contact per number per tenant). Given
 * fields overwrite, omitted ones are kept; an inferred time zone never replaces a manual one.
 */
export async function upsertContactByPhone(
  tx: Transaction,
  input: { agencyId: string; tenantId: string; phone: string; country: string | null; zone: TimeZoneChoice; fields: ContactFields },
): Promise<{ contact: Contact; created: boolean }> {
  const f = input.fields;
  const row = await queryOne<Contact & { created: boolean }>(
    tx,
    `INSERT INTO contacts (agency_id, tenant_id, phone, country, time_zone, time_zone_source, name, email, lead_stage, notes, whatsapp_id, telegram_chat_id)
     VALUES (:agencyId, :tenantId, :phone, :country, :timeZone, :source, :name, :email, coalesce(:leadStage, 'new'), :notes, :whatsappId, :telegramChatId)
     ON CONFLICT (tenant_id, phone) WHERE phone IS NOT NULL DO UPDATE SET
       name = coalesce(:name, contacts.name), email = coalesce(:email, contacts.email),
       lead_stage = coalesce(:leadStage, contacts.lead_stage), notes = coalesce(:notes, contacts.notes),
       whatsapp_id = coalesce(:whatsappId, contacts.whatsapp_id), telegram_chat_id = coalesce(:telegramChatId, contacts.telegram_chat_id),
       country = coalesce(contacts.country, EXCLUDED.country),
       time_zone = CASE WHEN :source = 'manual' OR contacts.time_zone_source IS DISTINCT FROM 'manual' THEN coalesce(EXCLUDED.time_zone, contacts.time_zone) ELSE contacts.time_zone END,
       time_zone_source = CASE WHEN :source = 'manual' OR contacts.time_zone_source IS DISTINCT FROM 'manual' THEN coalesce(EXCLUDED.time_zone_source, contacts.time_zone_source) ELSE contacts.time_zone_source END,
       updated_at = now()
     RETURNING ${COLUMNS}, (xmax = 0) AS created`,
    {
      agencyId: input.agencyId, tenantId: input.tenantId, phone: input.phone, country: input.country,
      timeZone: input.zone.timeZone, source: input.zone.source,
      name: f.name ?? null, email: f.email ?? null, leadStage: f.leadStage ?? null, notes: f.notes ?? null,
      whatsappId: f.whatsappId ?? null, telegramChatId: f.telegramChatId ?? null,
    },
  );
  const { created, ...contact } = row!;
  return { contact: plain(contact), created };
}

/** A contact known only by a chat address (Telegram chat, WhatsApp id without a phone yet). */
export async function insertContactByAddress(
  tx: Transaction,
  input: { agencyId: string; tenantId: string; column: Exclude<AddressColumn, 'phone'>; value: string },
): Promise<Contact> {
  const row = await queryOne<Contact>(
    tx,
    `INSERT INTO contacts (agency_id, tenant_id, ${input.column}) VALUES (:agencyId, :tenantId, :value) RETURNING ${COLUMNS}`,
    input,
  );
  return plain(row!);
}

const PATCHABLE: Record<string, string> = {
  name: 'name', email: 'email', leadStage: 'lead_stage', notes: 'notes', whatsappId: 'whatsapp_id', telegramChatId: 'telegram_chat_id',
  phone: 'phone', country: 'country', timeZone: 'time_zone', timeZoneSource: 'time_zone_source',
};

/** Sets exactly the given columns (null clears). */
export async function updateContact(
  tx: Transaction,
  input: { tenantId: string; contactId: string; patch: Partial<Omit<Contact, 'id' | 'tenantId' | 'createdAt' | 'updatedAt'>> },
): Promise<Contact | undefined> {
  const entries = Object.entries(input.patch).filter(([key, value]) => PATCHABLE[key] && value !== undefined);
  const sets = entries.map(([key]) => `${PATCHABLE[key]} = :p_${key}`);
  const row = await queryOne<Contact>(
    tx,
    `UPDATE contacts SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = :contactId AND tenant_id = :tenantId RETURNING ${COLUMNS}`,
    { tenantId: input.tenantId, contactId: input.contactId, ...Object.fromEntries(entries.map(([key, value]) => [`p_${key}`, value])) },
  );
  return row && plain(row);
}

/** Contacts whose name, email or phone contains `q` (digits of a phone match however it was typed). */
export async function searchContacts(
  tx: Transaction,
  where: { tenantId: string; q?: string; leadStage?: string; limit: number; offset: number },
): Promise<Contact[]> {
  const q = where.q?.trim() ? `%${where.q.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const digits = where.q?.replace(/\D/g, '') ?? '';
  const rows = await queryRows<Contact>(
    tx,
    `SELECT ${COLUMNS} FROM contacts
     WHERE tenant_id = :tenantId
       AND (CAST(:leadStage AS text) IS NULL OR lead_stage = :leadStage)
       AND (CAST(:q AS text) IS NULL OR lower(name) LIKE :q OR lower(email) LIKE :q
            OR (length(:digits) >= 3 AND phone LIKE '%' || :digits || '%'))
     ORDER BY updated_at DESC, id LIMIT :limit OFFSET :offset`,
    { tenantId: where.tenantId, leadStage: where.leadStage ?? null, q, digits, limit: where.limit, offset: where.offset },
  );
  return rows.map(plain);
}

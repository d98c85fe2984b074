import type { Transaction } from 'sequelize';
import { iso } from '../../db/rows.js';
import { queryOne, queryRows } from '../../db/sql.js';

export type Author = { type: string; id: string };
export type Note = { id: string; contactId: string; body: string; author: Author; createdAt: string };
export type Activity = {
  id: string;
  contactId: string;
  type: string;
  data: Record<string, unknown>;
  occurredAt: string;
  author: Author;
  idempotencyKey: string | null;
  createdAt: string;
};

type NoteRow = Omit<Note, 'author'> & { authorType: string; authorId: string };
type ActivityRow = Omit<Activity, 'author'> & { authorType: string; authorId: string };

const NOTE_COLUMNS = `id, contact_id AS "contactId", body, author_type AS "authorType", author_id AS "authorId", created_at AS "createdAt"`;
const ACTIVITY_COLUMNS = `id, contact_id AS "contactId", type, data, occurred_at AS "occurredAt", author_type AS "authorType",
  author_id AS "authorId", idempotency_key AS "idempotencyKey", created_at AS "createdAt"`;

function note({ authorType, authorId, ...row }: NoteRow): Note {
  return { ...row, author: { type: authorType, id: authorId }, createdAt: iso(row.createdAt)! };
}
function activity({ authorType, authorId, ...row }: ActivityRow): Activity {
  return { ...row, author: { type: authorType, id: authorId }, occurredAt: iso(row.occurredAt)!, createdAt: iso(row.createdAt)! };
}

type Scoped = { agencyId: string; tenantId: string; contactId: string };

export async function insertNote(tx: Transaction, input: Scoped & { body: string; author: Author }): Promise<Note> {
  const row = await queryOne<NoteRow>(
    tx,
    `INSERT INTO contact_notes (agency_id, tenant_id, contact_id, body, author_type, author_id)
     VALUES (:agencyId, :tenantId, :contactId, :body, :authorType, :authorId) RETURNING ${NOTE_COLUMNS}`,
    { ...input, authorType: input.author.type, authorId: input.author.id },
  );
  return note(row!);
}

export async function listNotes(tx: Transaction, where: { tenantId: string; contactId: string; limit: number; offset: number }): Promise<Note[]> {
  const rows = await queryRows<NoteRow>(
    tx,
    `SELECT ${NOTE_COLUMNS} FROM contact_notes WHERE tenant_id = :tenantId AND contact_id = :contactId
     ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset`,
    where,
  );
  return rows.map(note);
}

/** Inserts the activity; with a key already used in the tenant, returns the first one and `created: false`. */
export async function insertActivity(
  tx: Transaction,
  input: Scoped & { type: string; data: Record<string, unknown>; occurredAt: string | null; author: Author; idempotencyKey: string | null },
): Promise<{ activity: Activity; created: boolean }> {
  const row = await queryOne<ActivityRow>(
    tx,
    `INSERT INTO contact_activities (agency_id, tenant_id, contact_id, type, data, occurred_at, author_type, author_id, idempotency_key)
     VALUES (:agencyId, :tenantId, :contactId, :type, CAST(:data AS jsonb), coalesce(CAST(:occurredAt AS timestamptz), now()),
       :authorType, :authorId, :idempotencyKey)
     ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
     RETURNING ${ACTIVITY_COLUMNS}`,
    { ...input, data: JSON.stringify(input.data), authorType: input.author.type, authorId: input.author.id },
  );
  if (row) return { activity: activity(row), created: true };
  const first = await queryOne<ActivityRow>(
    tx,
    `SELECT ${ACTIVITY_COLUMNS} FROM contact_activities WHERE tenant_id = :tenantId AND idempotency_key = :idempotencyKey`,
    input,
  );
  return { activity: activity(first!), created: false };
}

export async function listActivities(
  tx: Transaction,
  where: { tenantId: string; contactId: string; type?: string; limit: number; offset: number },
): Promise<Activity[]> {
  const rows = await queryRows<ActivityRow>(
    tx,
    `SELECT ${ACTIVITY_COLUMNS} FROM contact_activities
     WHERE tenant_id = :tenantId AND contact_id = :contactId AND (CAST(:type AS text) IS NULL OR type = :type)
     ORDER BY occurred_at DESC, id LIMIT :limit OFFSET :offset`,
    { ...where, type: where.type ?? null },
  );
  return rows.map(activity);
}

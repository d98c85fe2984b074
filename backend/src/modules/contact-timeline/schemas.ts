import { z } from 'zod';
import { idempotencyKey } from '../../http/idempotency-key.js';
import { isoDateTime, pagination, uuid } from '../../http/schemas.js';

const MAX_DATA_BYTES = 16 * 1024;
const activityType = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){0,3}$/, 'dotted lowercase words, e.g. follow_up.outcome');

export const addNoteBody = z.strictObject({ body: z.string().trim().min(1).max(4000) });
export const logActivityBody = z.strictObject({
  type: activityType,
  data: z
    .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'keys are field names: letters, digits, _'), z.unknown())
    .refine((data) => Buffer.byteLength(JSON.stringify(data)) <= MAX_DATA_BYTES, `at most ${MAX_DATA_BYTES} bytes as JSON`)
    .optional(),
  occurredAt: isoDateTime.optional(),
  idempotencyKey: idempotencyKey.optional(),
});
export const timelinePageQuery = z.strictObject({ ...pagination });
export const activitiesQuery = z.strictObject({ type: activityType.optional(), ...pagination });

const author = z.object({ type: z.string(), id: z.string() });
export const noteView = z.object({ id: uuid, contactId: uuid, body: z.string(), author, createdAt: isoDateTime });
export const noteListView = z.object({ notes: z.array(noteView) });
export const activityView = z.object({
  id: uuid,
  contactId: uuid,
  type: z.string(),
  data: z.record(z.string(), z.unknown()),
  occurredAt: isoDateTime,
  author,
  idempotencyKey: z.string().nullable(),
  createdAt: isoDateTime,
});
export const activityListView = z.object({ activities: z.array(activityView) });

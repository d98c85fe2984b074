import { z } from 'zod';
import { isoDateTime, pagination, uuid } from '../../http/schemas.js';
import { channelConsentView } from '../consent/schemas.js';
import { isValidTimeZone } from '../policy/local-time.js';

const timeZone = z.string().max(64).refine(isValidTimeZone, 'must be an IANA time zone, e.g. America/New_York');
const phone = z.string().trim().min(3).max(32);
const chatId = z.string().trim().min(1).max(64);
const name = z.string().trim().min(1).max(200);
const email = z.email().max(320);
const leadStage = z.string().trim().regex(/^[a-z0-9_-]{1,40}$/, 'lowercase words joined by _ or -, e.g. new, qualified, booked');
const notes = z.string().max(4000);

// A number as people type it: digits, +, spaces and ( ) . - only (the lookup normalizes it like create).
export const contactByPhoneQuery = z.strictObject({
  phone: phone.regex(/^\+?[\d\s().-]+$/, 'a phone number: digits, +, spaces, ( ) . - only'),
});

export const contactIdParams = z.strictObject({ contactId: uuid });

export const saveContactBody = z.strictObject({
  phone,
  name: name.optional(),
  email: email.optional(),
  leadStage: leadStage.optional(),
  notes: notes.optional(),
  timeZone: timeZone.optional(),
  whatsappId: chatId.optional(),
  telegramChatId: chatId.optional(),
});

export const editContactBody = z
  .strictObject({
    phone: phone.optional(),
    name: name.nullable().optional(),
    email: email.nullable().optional(),
    leadStage: leadStage.optional(),
    notes: notes.nullable().optional(),
    timeZone: timeZone.nullable().optional(),
    whatsappId: chatId.nullable().optional(),
    telegramChatId: chatId.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');

export const searchContactsQuery = z.strictObject({
  q: z.string().trim().min(1).max(200).optional(),
  leadStage: leadStage.optional(),
  ...pagination,
});

export const contactView = z.object({
  id: uuid,
  phone: z.string().nullable(),
  whatsappId: z.string().nullable(),
  telegramChatId: z.string().nullable(),
  country: z.string().nullable(),
  timeZone: z.string().nullable(),
  timeZoneSource: z.enum(['inferred', 'manual']).nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  leadStage: z.string(),
  notes: z.string().nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export const contactDetailView = contactView.extend({ consent: z.array(channelConsentView) });
export const contactListView = z.object({ contacts: z.array(contactView) });

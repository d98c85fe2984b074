import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import { WHATSAPP_TRANSPORTS } from './whatsapp-transport.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour clock');
const text = z.string().trim().min(1).max(480).nullable();

/** PUT: the whole settings object (GET it, change what you need, PUT it back). */
export const messagingSettingsBody = z.strictObject({
  defaultCountry: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166 alpha-2, e.g. US').refine((c) => isSupportedCountry(c), 'not a country with phone numbers we know').nullable(),
  sendingWindow: z.strictObject({ start: hhmm, end: hhmm }).describe("Recipient-local hours for proactive messages; end is exclusive; may wrap midnight"),
  optInRequired: z.strictObject({ sms: z.boolean(), whatsapp: z.boolean(), telegram: z.boolean(), web: z.boolean() }),
  frequencyCap: z.strictObject({ count: z.number().int().min(1).max(1000), hours: z.number().int().min(1).max(168) }).nullable(),
  replyWindowHours: z.number().int().min(0).max(168).describe('Messages within this many hours of the contact writing are replies (transactional)'),
  helpText: text,
  optOutConfirmationText: text,
  optInConfirmationText: text,
  // Optional so clients written before these fields existed keep working: absent = keep the stored value.
  whatsappTransport: z.enum(WHATSAPP_TRANSPORTS).optional()
    .describe("'baileys': the tenant's own phone linked as a device (default); 'cloud': Meta's WhatsApp Cloud API"),
  linkedDeviceSessionWindow: z.boolean().optional()
    .describe('Apply the 24-hour customer-service window to a linked-device number too (Cloud API numbers always have it)'),
  linkedDeviceColdContacts: z.boolean().optional()
    .describe('Let a linked-device number message contacts who never wrote to it (off by default: cold messages get numbers banned)'),
});

export const messagingSettingsView = messagingSettingsBody.required({ whatsappTransport: true, linkedDeviceSessionWindow: true, linkedDeviceColdContacts: true });

import type { Transaction } from 'sequelize';
import { queryOne } from '../../db/sql.js';
import type { Channel } from '../../ports/messaging.js';
import type { MessagingRules } from './policy-types.js';
import type { WhatsAppTransport } from './whatsapp-transport.js';

/** A tenant's messaging rules and compliance texts; defaults apply until the tenant saves its own. */
export type MessagingSettings = {
  /** ISO 3166 alpha-2, for numbers typed without +country code; null = inferred from the tenant's time zone. */
  defaultCountry: string | null;
  sendingWindow: { start: string; end: string };
  optInRequired: Record<Channel, boolean>;
  frequencyCap: { count: number; hours: number } | null;
  replyWindowHours: number;
  helpText: string | null;
  optOutConfirmationText: string | null;
  optInConfirmationText: string | null;
  /** WhatsApp sends go through the linked phone ('baileys') or Meta's Cloud API ('cloud'). */
  whatsappTransport: WhatsAppTransport;
  /** Whether the 24-hour customer-service window also applies to a linked-device number (always to Cloud API). */
  linkedDeviceSessionWindow: boolean;
  /** Whether a linked-device number may message contacts who never wrote to it (off: bulk cold messages get numbers banned). */
  linkedDeviceColdContacts: boolean;
};

// SMS and WhatsApp need prior opt-in for business-initiated messages; Telegram and web chat are
// contact-initiated channels (the person wrote first), so consent is implied there.
export const DEFAULT_MESSAGING_SETTINGS: MessagingSettings = {
  defaultCountry: null,
  sendingWindow: { start: '08:00', end: '21:00' },
  optInRequired: { sms: true, whatsapp: true, telegram: false, web: false },
  frequencyCap: { count: 5, hours: 24 },
  replyWindowHours: 24,
  helpText: null,
  optOutConfirmationText: null,
  optInConfirmationText: null,
  whatsappTransport: 'baileys',
  linkedDeviceSessionWindow: true,
  linkedDeviceColdContacts: false,
};

type Row = {
  defaultCountry: string | null; windowStart: string; windowEnd: string; optInRequired: Partial<Record<Channel, boolean>>;
  capCount: number | null; capHours: number; replyWindowHours: number;
  helpText: string | null; optOutConfirmationText: string | null; optInConfirmationText: string | null;
  whatsappTransport: WhatsAppTransport; linkedDeviceSessionWindow: boolean; linkedDeviceColdContacts: boolean;
};
const COLUMNS = `default_country AS "defaultCountry", to_char(window_start, 'HH24:MI') AS "windowStart", to_char(window_end, 'HH24:MI') AS "windowEnd",
  opt_in_required AS "optInRequired", frequency_cap_count AS "capCount", frequency_cap_hours AS "capHours", reply_window_hours AS "replyWindowHours",
  help_text AS "helpText", opt_out_confirmation_text AS "optOutConfirmationText", opt_in_confirmation_text AS "optInConfirmationText",
  whatsapp_transport AS "whatsappTransport", linked_device_session_window AS "linkedDeviceSessionWindow",
  linked_device_cold_contacts AS "linkedDeviceColdContacts"`;

function plain(row: Row): MessagingSettings {
  return {
    defaultCountry: row.defaultCountry?.trim() ?? null,
    sendingWindow: { start: row.windowStart, end: row.windowEnd },
    optInRequired: { ...DEFAULT_MESSAGING_SETTINGS.optInRequired, ...row.optInRequired },
    frequencyCap: row.capCount ? { count: row.capCount, hours: row.capHours } : null,
    replyWindowHours: row.replyWindowHours,
    helpText: row.helpText,
    optOutConfirmationText: row.optOutConfirmationText,
    optInConfirmationText: row.optInConfirmationText,
    whatsappTransport: row.whatsappTransport,
    linkedDeviceSessionWindow: row.linkedDeviceSessionWindow,
    linkedDeviceColdContacts: row.linkedDeviceColdContacts,
  };
}

export async function findMessagingSettings(tx: Transaction, where: { tenantId: string }): Promise<MessagingSettings> {
  const row = await queryOne<Row>(tx, `SELECT ${COLUMNS} FROM messaging_settings WHERE tenant_id = :tenantId`, where);
  return row ? plain(row) : DEFAULT_MESSAGING_SETTINGS;
}

export async function saveMessagingSettings(
  tx: Transaction,
  input: { agencyId: string; tenantId: string; settings: MessagingSettings },
): Promise<MessagingSettings> {
  const s = input.settings;
  const row = await queryOne<Row>(
    tx,
    `INSERT INTO messaging_settings (tenant_id, agency_id, default_country, window_start, window_end, opt_in_required, frequency_cap_count,
       frequency_cap_hours, reply_window_hours, help_text, opt_out_confirmation_text, opt_in_confirmation_text,
       whatsapp_transport, linked_device_session_window, linked_device_cold_contacts)
     VALUES (:tenantId, :agencyId, :defaultCountry, :start, :end, CAST(:optInRequired AS jsonb), :capCount, :capHours, :replyWindowHours,
       :helpText, :optOutConfirmationText, :optInConfirmationText, :whatsappTransport, :linkedDeviceSessionWindow, :linkedDeviceColdContacts)
     ON CONFLICT (tenant_id) DO UPDATE SET default_country = EXCLUDED.default_country, window_start = EXCLUDED.window_start,
       window_end = EXCLUDED.window_end, opt_in_required = EXCLUDED.opt_in_required, frequency_cap_count = EXCLUDED.frequency_cap_count,
       frequency_cap_hours = EXCLUDED.frequency_cap_hours, reply_window_hours = EXCLUDED.reply_window_hours, help_text = EXCLUDED.help_text,
       opt_out_confirmation_text = EXCLUDED.opt_out_confirmation_text, opt_in_confirmation_text = EXCLUDED.opt_in_confirmation_text,
       whatsapp_transport = EXCLUDED.whatsapp_transport, linked_device_session_window = EXCLUDED.linked_device_session_window,
       linked_device_cold_contacts = EXCLUDED.linked_device_cold_contacts, updated_at = now()
     RETURNING ${COLUMNS}`,
    {
      tenantId: input.tenantId, agencyId: input.agencyId, defaultCountry: s.defaultCountry, start: s.sendingWindow.start, end: s.sendingWindow.end,
      optInRequired: JSON.stringify(s.optInRequired), capCount: s.frequencyCap?.count ?? null, capHours: s.frequencyCap?.hours ?? 24,
      replyWindowHours: s.replyWindowHours, helpText: s.helpText, optOutConfirmationText: s.optOutConfirmationText,
      optInConfirmationText: s.optInConfirmationText, whatsappTransport: s.whatsappTransport, linkedDeviceSessionWindow: s.linkedDeviceSessionWindow,
      linkedDeviceColdContacts: s.linkedDeviceColdContacts,
    },
  );
  return plain(row!);
}

/** The policy's view of the settings for one channel. */
export function rulesFor(settings: MessagingSettings, channel: Channel): MessagingRules {
  return {
    optInRequired: settings.optInRequired[channel],
    sendingWindow: settings.sendingWindow,
    frequencyCap: settings.frequencyCap,
    replyWindowHours: settings.replyWindowHours,
  };
}

/** The compliance texts, with the business name in the defaults (carriers want it named). */
export function complianceTexts(settings: MessagingSettings, businessName: string) {
  return {
    optOutConfirmation: settings.optOutConfirmationText ?? `${businessName}: you are unsubscribed and will receive no more messages. Reply START to resubscribe.`,
    optInConfirmation: settings.optInConfirmationText ?? `${businessName}: you are subscribed again. Reply STOP to unsubscribe, HELP for help.`,
    help: settings.helpText ?? `${businessName}: reply STOP to unsubscribe. Msg & data rates may apply.`,
  };
}

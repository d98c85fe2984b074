import type { Transaction } from 'sequelize';
import type { Channel } from '../../ports/messaging.js';
import type { MessagingSettings } from '../policy/messaging-settings.js';
import type { Tenant } from '../tenants/tenant-repository.js';
import { upsertContactByPhone, type Contact, type ContactFields } from './contact-repository.js';
import { normalizePhone } from './phone-number.js';
import { countryForTimeZone, timeZoneForNumber } from './time-zone-for-number.js';

/** The country a number without +country code is read in: the tenant's setting, else its time zone's, else US. */
export function defaultCountryFor(settings: MessagingSettings, tenant: Pick<Tenant, 'timeZone'> | undefined): string {
  return settings.defaultCountry ?? (tenant && countryForTimeZone(tenant.timeZone)) ?? 'US';
}

/** Where a message to `contact` goes on `channel`, or undefined when the contact has no address there. */
export function addressFor(contact: Contact, channel: Channel): string | undefined {
  switch (channel) {
    case 'sms':
      return contact.phone ?? undefined;
    case 'whatsapp':
      return contact.whatsappId ?? contact.phone ?? undefined;
    case 'telegram':
      return contact.telegramChatId ?? undefined;
    case 'web':
      return contact.id;
  }
}

/**
 * The tenant's contact for a phone number as typed, created on first sight. Its time zone is inferred
 * from the number unless `manualTimeZone` is given (a manual zone is never replaced by an inferred one).
 */
export async function contactForPhone(
  tx: Transaction,
  input: {
    agencyId: string; tenantId: string; phone: string; defaultCountry: string; field?: string;
    fields?: ContactFields; manualTimeZone?: string | null;
  },
): Promise<{ contact: Contact; created: boolean }> {
  const { e164, country } = normalizePhone(input.phone, input.defaultCountry, input.field);
  const inferred = timeZoneForNumber(e164, country);
  const zone = input.manualTimeZone
    ? { timeZone: input.manualTimeZone, source: 'manual' as const }
    : { timeZone: inferred ?? null, source: inferred ? ('inferred' as const) : null };
  return upsertContactByPhone(tx, {
    agencyId: input.agencyId, tenantId: input.tenantId, phone: e164, country: country ?? null, zone, fields: input.fields ?? {},
  });
}

import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { AppError } from '../../http/errors.js';
import type { Channel } from '../../ports/messaging.js';
import type { Contact } from '../contacts/contact-repository.js';

type Addresses = Pick<Contact, 'phone' | 'whatsappId' | 'telegramChatId'>;

/** A number WhatsApp can reach: a known WhatsApp id, or a phone that is not known to be a landline. */
function whatsappCapable(contact: Addresses): boolean {
  if (contact.whatsappId) return true;
  if (!contact.phone) return false;
  return parsePhoneNumberFromString(contact.phone)?.getType() !== 'FIXED_LINE';
}

/** Why an opt-in on `channel` cannot be recorded for this contact, or undefined when it can. */
export function missingAddressFor(contact: Addresses, channel: Channel): string | undefined {
  switch (channel) {
    case 'sms':
      return contact.phone ? undefined : 'This contact has no phone number, so an SMS opt-in cannot be recorded. Add their phone first.';
    case 'whatsapp':
      return whatsappCapable(contact) ? undefined : 'This contact has no WhatsApp-capable number (a mobile number or WhatsApp id), so a WhatsApp opt-in cannot be recorded.';
    case 'telegram':
      return contact.telegramChatId ? undefined : 'This contact has no Telegram chat, so a Telegram opt-in cannot be recorded: they must write to your bot first.';
    case 'web':
      return undefined;
  }
}

/**
 * An opt-in is consent to be messaged at an address: without one it would be evidence of nothing (and
 * would wrongly be shown as "opted in"). Opt-outs are always accepted.
 */
export function assertOptInHasAddress(contact: Addresses, channel: Channel, kind: string): void {
  if (kind !== 'opt_in') return;
  const reason = missingAddressFor(contact, channel);
  if (reason) throw new AppError('VALIDATION_FAILED', reason, [{ path: 'body.channel', message: reason, code: 'no_address' }]);
}

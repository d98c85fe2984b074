import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { AppError } from '../../http/errors.js';

export type NormalizedPhone = { e164: string; country: string | undefined };

/**
 * A phone number as typed ("(415) 555-0100", "+49 30 1234567", "0044 20 7946 0958") in E.164, read
 * in `defaultCountry` when it has no country code. Throws a 400 naming `field` when it is not a
 * valid number.
 */
export function normalizePhone(raw: string, defaultCountry: string | undefined, field = 'body.phone'): NormalizedPhone {
  const text = raw.trim().replace(/^00/, '+');
  const parsed = parsePhoneNumberFromString(text, defaultCountry as CountryCode | undefined);
  if (!parsed || !parsed.isValid()) {
    throw new AppError('VALIDATION_FAILED', 'The request is not valid', [
      { path: field, message: `not a phone number we can read${defaultCountry ? ` (read as ${defaultCountry} when it has no +country code)` : ''}`, code: 'invalid_phone' },
    ]);
  }
  return { e164: parsed.number, country: parsed.country };
}

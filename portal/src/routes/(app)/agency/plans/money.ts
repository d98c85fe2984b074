// Prices are typed as decimals in the agency's currency and sent as integer minor units. Parsed as a
// string (digits before and after the separator), never through a float: "19.99" is exactly 1999.

// Stripe's zero- and three-decimal currencies; every other currency has 2 decimals.
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** Stripe's ceiling for a price's unit_amount (what the API accepts too). */
export const MAX_PRICE_MINOR = 99_999_999;

export function decimalsOf(currency: string): number {
  const code = currency.toLowerCase();
  return ZERO_DECIMAL.has(code) ? 0 : THREE_DECIMAL.has(code) ? 3 : 2;
}

export type ParsedMoney = { ok: true; minor: number } | { ok: false; error: string };

/**
 * "19.99", "19,99", "1,234.50", "1.234,50", "1 234,50" or "19" -> minor units. The last "." or "," is the
 * decimal separator, except before exactly 3 digits in a currency with fewer decimals ("1,234" = 1234);
 * the other separator may group thousands.
 */
export function parseMoney(input: string, currency: string): ParsedMoney {
  const decimals = decimalsOf(currency);
  const text = input.trim().replace(/[\s\u00a0']/g, '');
  const wrong: ParsedMoney = { ok: false, error: `Enter a number like ${decimals === 0 ? '1900' : `19.${'9'.repeat(decimals)}`}.` };
  if (text === '') return { ok: false, error: 'Enter a price.' };
  if (text.startsWith('-')) return { ok: false, error: 'A price cannot be negative.' };
  if (!/^\d[\d.,]*$/.test(text)) return wrong;
  const at = Math.max(text.lastIndexOf('.'), text.lastIndexOf(','));
  const tail = at >= 0 ? text.slice(at + 1) : '';
  const grouping = at >= 0 && tail.length === 3 && decimals !== 3;
  const [whole, fraction] = at < 0 || grouping ? [text, ''] : [text.slice(0, at), tail];
  if (!grouping && at >= 0 && fraction === '') return wrong;
  const decimalMark = grouping ? '' : text[at] ?? '';
  if (decimalMark && whole.includes(decimalMark)) return wrong;
  if (!/^\d+$/.test(whole) && !/^\d{1,3}(\.\d{3})+$/.test(whole) && !/^\d{1,3}(,\d{3})+$/.test(whole)) return wrong;
  if (fraction.length > decimals) {
    return { ok: false, error: decimals === 0 ? `${currency.toUpperCase()} has no smaller unit: enter a whole amount.` : `Use at most ${decimals} decimals.` };
  }
  const digits = (whole.replace(/[.,]/g, '') + fraction.padEnd(decimals, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > String(MAX_PRICE_MINOR).length || Number(digits) > MAX_PRICE_MINOR) {
    return { ok: false, error: `That is more than Stripe allows for one price (${formatMoney(MAX_PRICE_MINOR, currency)}).` };
  }
  return { ok: true, minor: Number(digits) };
}

/** Minor units -> "19.99" (no symbol; an input's value). Integer arithmetic only. */
export function minorToDecimal(minor: number, currency: string): string {
  const decimals = decimalsOf(currency);
  if (decimals === 0) return String(minor);
  const digits = String(minor).padStart(decimals + 1, '0');
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** Minor units -> "$19.99" / "19,99 €" in the reader's locale, exact for every amount we allow. */
export function formatMoney(minor: number, currency: string, locale = 'en-US'): string {
  const decimals = decimalsOf(currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency: currency.toUpperCase(), minimumFractionDigits: decimals, maximumFractionDigits: decimals })
    .format(Number(minorToDecimal(minor, currency)));
}

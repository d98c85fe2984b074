import { describe, expect, it } from 'vitest';
import { formatMoney, minorToDecimal, parseMoney } from './money.js';

const minor = (input: string, currency = 'usd') => {
  const parsed = parseMoney(input, currency);
  return parsed.ok ? parsed.minor : parsed.error;
};

describe('prices typed as decimals become exact minor units', () => {
  it('when a price is typed with a dot or a comma, then it is the exact number of cents (no float rounding)', () => {
    expect(minor('19.99')).toBe(1999);
    expect(minor('19,99')).toBe(1999);
    expect(minor('0.29')).toBe(29); // 0.29 * 100 is 28.999999999999996 in floating point
    expect(minor('1.10')).toBe(110);
    expect(minor('4.35')).toBe(435); // 4.35 * 100 = 434.99999999999994
    expect(minor('19')).toBe(1900);
    expect(minor('19.5')).toBe(1950);
    expect(minor(' 0 ')).toBe(0);
    expect(minor('007.50')).toBe(750);
  });

  it('when thousands are grouped, then the groups are read as thousands', () => {
    expect(minor('1,234.50')).toBe(123450);
    expect(minor('1.234,50', 'eur')).toBe(123450);
    expect(minor('1 234,50', 'eur')).toBe(123450);
    expect(minor('1,234')).toBe(123400);
    expect(minor('123,456.78')).toBe(12345678);
    // One separator before exactly 3 digits groups thousands (a 2-decimal currency has no third decimal).
    expect(minor('19.999')).toBe(1_999_900);
    expect(minor('1,234.567')).toMatch(/Enter a number/);
  });

  it('when the currency has no or three decimals, then its own unit is used', () => {
    expect(minor('1900', 'jpy')).toBe(1900);
    expect(minor('19.5', 'jpy')).toMatch(/JPY has no smaller unit/);
    expect(minor('1.234', 'kwd')).toBe(1234);
    expect(minor('1,5', 'kwd')).toBe(1500);
  });

  it('when the text is not a price, then a sentence says what to type', () => {
    expect(minor('')).toBe('Enter a price.');
    expect(minor('-5')).toBe('A price cannot be negative.');
    expect(minor('19.9.9')).toMatch(/Enter a number like 19.99/);
    expect(minor('abc')).toMatch(/Enter a number like 19.99/);
    expect(minor('1e3')).toMatch(/Enter a number/);
    expect(minor('19.')).toMatch(/Enter a number/);
    expect(minor('.5')).toMatch(/Enter a number/);
    expect(minor('19.9999')).toMatch(/at most 2 decimals/);
    expect(minor('1000000')).toMatch(/more than Stripe allows/);
    expect(minor('999999.99')).toBe(99_999_999);
  });

  it('when minor units are shown, then they read back exactly as typed', () => {
    expect(minorToDecimal(1999, 'usd')).toBe('19.99');
    expect(minorToDecimal(5, 'usd')).toBe('0.05');
    expect(minorToDecimal(0, 'usd')).toBe('0.00');
    expect(minorToDecimal(1900, 'jpy')).toBe('1900');
    expect(minorToDecimal(1234, 'kwd')).toBe('1.234');
    expect(formatMoney(1999, 'usd')).toBe('$19.99');
    expect(formatMoney(99_999_999, 'usd')).toBe('$999,999.99');
    expect(formatMoney(1900, 'jpy')).toBe('¥1,900');
    for (const cents of [1, 29, 435, 1999, 123456]) expect(minor(minorToDecimal(cents, 'eur'), 'eur')).toBe(cents);
  });
});

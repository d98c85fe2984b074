import { describe, expect, it } from 'vitest';
import { amountText, parseAmount } from './money.js';

describe('service prices', () => {
  it('when a price is typed, then it is stored in minor units without floating point', () => {
    expect(parseAmount('25')).toBe(2500);
    expect(parseAmount('25.5')).toBe(2550);
    expect(parseAmount('0,99')).toBe(99);
    expect(parseAmount('19.99')).toBe(1999);
    expect(parseAmount('1.999')).toBeUndefined();
    expect(parseAmount('-3')).toBeUndefined();
    expect(amountText(1999)).toBe('19.99');
    expect(amountText(500)).toBe('5.00');
    expect(amountText(null)).toBe('');
  });
});

/** "25", "25.5", "25.50" -> 2550 (minor units, two decimals); undefined when it is not an amount. */
export function parseAmount(text: string): number | undefined {
  const match = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** 2550 -> "25.50" for an input's value. */
export const amountText = (cents: number | null) => (cents === null ? '' : `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`);

/** ISO 8601 for a timestamp column (pg returns Date objects), null stays null. */
export function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : new Date(value as string).toISOString();
}

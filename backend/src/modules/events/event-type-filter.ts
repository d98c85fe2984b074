// Subscription filters: exact types (`message.received`), wildcards (`booking.*`, `*.missed`) or `*` for all.
const VALID_PATTERN = /^(\*|[a-z0-9_*]+(\.[a-z0-9_*]+)*)$/;

export function isValidEventPattern(pattern: string): boolean {
  return VALID_PATTERN.test(pattern);
}

/** `*` stands for any run of characters (dots included), so `booking.*` also takes `booking.slot.held`. */
export function matchesEventType(patterns: readonly string[], type: string): boolean {
  return patterns.some((pattern) => {
    const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return regex.test(type);
  });
}

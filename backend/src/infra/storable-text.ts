/**
 * PostgreSQL stores neither NUL (U+0000) nor unpaired UTF-16 surrogates: text columns refuse NUL, and
 * json/jsonb refuse both (`\u0000`, a lone `\ud800`). The API refuses such input with a 400 naming the
 * field (http/validate.ts); provider payloads, which we must store whatever they hold, get each such
 * character replaced by U+FFFD (toStorable) before they reach the database.
 */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed();
}

export function toStorableText(text: string): string {
  return isStorableText(text) ? text : text.toWellFormed().replaceAll('\u0000', '\uFFFD');
}

/** Beyond this depth a value is left as it is (HTTP bodies are limited far below it: http/json-depth.ts). */
const MAX_DEPTH = 256;

const isPlainObject = (value: object): value is Record<string, unknown> => {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};

/**
 * Paths (`body.items.0.text`) of the strings and object keys in a parsed request part that cannot be
 * stored, at most `limit` of them.
 */
export function findUnstorableText(value: unknown, path: string, limit = 20): string[] {
  const found: string[] = [];
  const walk = (current: unknown, at: string, depth: number): void => {
    if (found.length >= limit || depth > MAX_DEPTH) return;
    if (typeof current === 'string') {
      if (!isStorableText(current)) found.push(at);
      return;
    }
    if (typeof current !== 'object' || current === null) return;
    if (Array.isArray(current)) {
      current.forEach((item, index) => walk(item, `${at}.${index}`, depth + 1));
      return;
    }
    for (const [key, item] of Object.entries(current)) {
      const name = isStorableText(key) ? key : JSON.stringify(key);
      if (name !== key) found.push(`${at}.${name}`);
      walk(item, `${at}.${name}`, depth + 1);
    }
  };
  walk(value, path, 0);
  return found.slice(0, limit);
}

/**
 * The value with every string and key of its plain objects and arrays made storable; the same
 * reference when nothing had to change. Dates, Buffers and other instances are kept as they are.
 */
export function toStorable<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return toStorableText(value) as T;
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) => toStorable(item, depth + 1));
    return (items.some((item, index) => item !== value[index]) ? items : value) as T;
  }
  if (!isPlainObject(value)) return value;
  let changed = false;
  const entries = Object.entries(value).map(([key, item]) => {
    const entry = [toStorableText(key), toStorable(item, depth + 1)] as const;
    if (entry[0] !== key || entry[1] !== item) changed = true;
    return entry;
  });
  return (changed ? Object.fromEntries(entries) : value) as T;
}

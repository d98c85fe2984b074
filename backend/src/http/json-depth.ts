/**
 * How deeply a JSON body may nest. Provider payloads (Stripe events, WhatsApp Cloud, Telegram updates)
 * stay well under 20 levels; 40,000 levels fit in a 256 KB body and would overflow the stack of any
 * recursive code (zod, JSON.stringify, our own checks) that sees the parsed value.
 */
export const MAX_JSON_DEPTH = 64;

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * The deepest nesting of the raw JSON bytes, counted without parsing (brackets inside strings do not
 * count). UTF-8 multi-byte sequences never contain these ASCII bytes, so a byte scan is exact for UTF-8.
 * Stops counting once `stopAbove` is exceeded.
 */
export function jsonNestingDepth(raw: Uint8Array, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i += 1) {
    const byte = raw[i];
    if (inString) {
      if (byte === BACKSLASH) i += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      depth += 1;
      if (depth > deepest) deepest = depth;
      if (deepest > stopAbove) return deepest;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth -= 1;
    }
  }
  return deepest;
}

/** Thrown from the JSON parser's verify hook: mapped to a 400 by the error middleware (status and type). */
export class JsonTooDeepError extends Error {
  readonly status = 400;
  readonly type = 'entity.too.deep';
  constructor() {
    super(`The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
}

/** For express.json's verify hook: `charset` is the request's (UTF-16 bodies are scanned as UTF-8 re-encoded). */
export function assertJsonDepth(raw: Buffer, charset?: string): void {
  const bytes = !charset || /^utf-?8$/i.test(charset) ? raw : reencoded(raw, charset);
  if (jsonNestingDepth(bytes, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) throw new JsonTooDeepError();
}

function reencoded(raw: Buffer, charset: string): Uint8Array {
  try {
    return Buffer.from(new TextDecoder(charset).decode(raw), 'utf8');
  } catch {
    return raw; // a charset TextDecoder lacks: the parser refuses it or decodes it; scan what we have
  }
}

// Just enough MIME to show a transactional e-mail: headers (unfolded), and a single text body decoded
// from quoted-printable or base64 (what nodemailer writes for plain-text mail).
import type { Envelope } from './smtp-session.js';

export type CaughtMail = { at: string; from: string; to: string[]; subject: string; text: string };

function headersOf(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** =?UTF-8?Q?...?= and =?UTF-8?B?...?= words in a header. */
function decodeWords(value: string): string {
  // Whitespace between two encoded words is not part of the text (RFC 2047 6.2).
  return value.replace(/(\?=)\s+(?==\?)/g, '$1').replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_, _charset: string, kind: string, word: string) =>
    kind.toUpperCase() === 'B' ? Buffer.from(word, 'base64').toString('utf8') : decodeQuotedPrintable(word.replace(/_/g, ' ')),
  );
}

export function parseMail(envelope: Envelope): CaughtMail {
  const split = envelope.raw.indexOf('\r\n\r\n');
  const headers = headersOf(split < 0 ? envelope.raw : envelope.raw.slice(0, split));
  const body = split < 0 ? '' : envelope.raw.slice(split + 4);
  const encoding = (headers.get('content-transfer-encoding') ?? '').toLowerCase();
  const text = encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body;
  return { at: new Date().toISOString(), from: envelope.from, to: envelope.to, subject: decodeWords(headers.get('subject') ?? '(no subject)'), text };
}

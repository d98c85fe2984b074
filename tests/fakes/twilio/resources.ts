// Twilio REST resources as the real API renders them (2010-04-01 JSON), for the fake.
import { randomBytes } from 'node:crypto';

export const API_VERSION = '2010-04-01';
export type MessageStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed';
export type CallStatus = 'queued' | 'initiated' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';

export type StoredMessage = {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  body: string;
  status: MessageStatus;
  statusCallback?: string;
  /** Our message id, read from the status callback URL (?mid=). */
  mid?: string;
  numSegments: number;
  errorCode: number | null;
  dateCreated: Date;
  dateSent: Date | null;
  dateUpdated: Date;
};

export type StoredCall = {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  twiml?: string;
  url?: string;
  status: CallStatus;
  statusCallback?: string;
  statusCallbackEvents: string[];
  duration: number | null;
  dateCreated: Date;
  startTime: Date | null;
  endTime: Date | null;
};

/** A Twilio SID: two-letter prefix + 32 hex digits (34 characters). */
export function twilioSid(prefix: 'AC' | 'SM' | 'CA' | 'PN'): string {
  return prefix + randomBytes(16).toString('hex');
}

export function rfc2822(date: Date | null): string | null {
  return date ? date.toUTCString().replace('GMT', '+0000') : null;
}

const GSM7 = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€',
);

/** SMS segments: GSM-7 fits 160 characters (153 per part), anything else UCS-2 with 70 (67 per part). */
export function segmentCount(body: string): number {
  const chars = [...body];
  const gsm = chars.every((c) => GSM7.has(c));
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  if (chars.length <= single) return 1;
  return Math.ceil(chars.length / multi);
}

export function messageJson(m: StoredMessage): Record<string, unknown> {
  const uri = `/${API_VERSION}/Accounts/${m.accountSid}/Messages/${m.sid}.json`;
  return {
    account_sid: m.accountSid, api_version: API_VERSION, body: m.body, date_created: rfc2822(m.dateCreated),
    date_sent: rfc2822(m.dateSent), date_updated: rfc2822(m.dateUpdated), direction: 'outbound-api',
    error_code: m.errorCode, error_message: null, from: m.from, messaging_service_sid: null, num_media: '0',
    num_segments: String(m.numSegments), price: null, price_unit: 'USD', sid: m.sid, status: m.status,
    subresource_uris: { media: uri.replace('.json', '/Media.json') }, to: m.to, uri,
  };
}

export function callJson(c: StoredCall): Record<string, unknown> {
  return {
    account_sid: c.accountSid, annotation: null, answered_by: null, api_version: API_VERSION, caller_name: null,
    date_created: rfc2822(c.dateCreated), date_updated: rfc2822(new Date()), direction: 'outbound-api',
    duration: c.duration === null ? null : String(c.duration), end_time: rfc2822(c.endTime), forwarded_from: null,
    from: c.from, from_formatted: c.from, parent_call_sid: null, phone_number_sid: null, price: null, price_unit: 'USD',
    sid: c.sid, start_time: rfc2822(c.startTime), status: c.status, to: c.to, to_formatted: c.to,
    uri: `/${API_VERSION}/Accounts/${c.accountSid}/Calls/${c.sid}.json`,
  };
}

/** Twilio's error body: { code, message, more_info, status }. */
export function twilioError(status: number, code: number | string | undefined, message: string): Record<string, unknown> {
  const resolved = code ?? (status === 429 ? 20429 : status === 401 ? 20003 : status === 404 ? 20404 : status >= 500 ? 20500 : 21000);
  return { code: Number(resolved), message, more_info: `https://www.twilio.com/docs/errors/${resolved}`, status };
}

export const E164 = /^\+[1-9]\d{6,14}$/;

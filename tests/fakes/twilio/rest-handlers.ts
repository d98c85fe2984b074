// Validation and creation of Messages and Calls the way Twilio answers them (codes from Twilio's docs).
import type { Reply } from '../support/fake-server.js';
import { API_VERSION, E164, messageJson, segmentCount, twilioError, twilioSid, type StoredCall, type StoredMessage } from './resources.js';

const badRequest = (code: number, message: string): { error: Reply } => ({ error: { status: 400, body: twilioError(400, code, message) } });

function ourMessageId(statusCallback: string | undefined): string | undefined {
  if (!statusCallback) return undefined;
  try {
    return new URL(statusCallback).searchParams.get('mid') ?? undefined;
  } catch {
    return undefined;
  }
}

export function createMessage(
  form: Record<string, string>,
  accountSid: string,
  rejected: ReadonlyMap<string, { code: number; message: string }>,
): { message: StoredMessage } | { error: Reply } {
  const { To: to, From: from, Body: body, StatusCallback: statusCallback } = form;
  if (!to) return badRequest(21604, "A 'To' phone number is required.");
  if (!from) return badRequest(21603, "A 'From' phone number is required.");
  if (!body) return badRequest(21602, 'Message body is required.');
  if (!E164.test(to)) return badRequest(21211, `The 'To' number ${to} is not a valid phone number.`);
  if (!E164.test(from)) return badRequest(21212, `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`);
  if ([...body].length > 1600) return badRequest(21617, 'The concatenated message body exceeds the 1600 character limit.');
  const refusal = rejected.get(to);
  if (refusal) return badRequest(refusal.code, refusal.message);
  const now = new Date();
  return {
    message: {
      sid: twilioSid('SM'), accountSid, to, from, body, status: 'queued', statusCallback, mid: ourMessageId(statusCallback),
      numSegments: segmentCount(body), errorCode: null, dateCreated: now, dateSent: null, dateUpdated: now,
    },
  };
}

export function createCall(
  form: Record<string, string>,
  events: string[],
  accountSid: string,
  rejected: ReadonlyMap<string, { code: number; message: string }>,
): { call: StoredCall } | { error: Reply } {
  const { To: to, From: from, Twiml: twiml, Url: url, StatusCallback: statusCallback } = form;
  if (!to) return badRequest(21201, 'No "To" number is specified');
  if (!from) return badRequest(21213, 'No "From" number is specified');
  if (!twiml && !url) return badRequest(21205, 'Url parameter is required.');
  if (!E164.test(to)) return badRequest(21211, `The 'To' number ${to} is not a valid phone number.`);
  const refusal = rejected.get(to);
  if (refusal) return badRequest(refusal.code, refusal.message);
  return {
    call: {
      sid: twilioSid('CA'), accountSid, to, from, twiml, url, status: 'queued', statusCallback, statusCallbackEvents: events,
      duration: null, dateCreated: new Date(), startTime: null, endTime: null,
    },
  };
}

/** GET Messages.json?To=&From=&DateSent>= (date or datetime), newest first, one page of up to PageSize. */
export function listMessages(all: readonly StoredMessage[], accountSid: string, query: URLSearchParams): Reply {
  const to = query.get('To');
  const from = query.get('From');
  const sinceRaw = query.get('DateSent>') ?? query.get('DateSent>=');
  const since = sinceRaw ? new Date(sinceRaw) : undefined;
  const pageSize = Math.min(Number(query.get('PageSize') ?? 50), 1000);
  const matches = all
    .filter((m) => m.accountSid === accountSid && (!to || m.to === to) && (!from || m.from === from))
    // A message still queued has no date_sent yet; Twilio lists it by its creation time.
    .filter((m) => !since || (m.dateSent ?? m.dateCreated) >= since)
    .sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime())
    .slice(0, pageSize);
  const uri = `/${API_VERSION}/Accounts/${accountSid}/Messages.json`;
  return {
    status: 200,
    body: {
      messages: matches.map(messageJson), end: Math.max(matches.length - 1, 0), first_page_uri: `${uri}?PageSize=${pageSize}&Page=0`,
      next_page_uri: null, page: 0, page_size: pageSize, previous_page_uri: null, start: 0, uri,
    },
  };
}

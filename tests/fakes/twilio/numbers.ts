// Accounts and IncomingPhoneNumbers as Twilio's REST API (2010-04-01) renders them, for the fake:
// fetch the account (how credentials are verified), list its numbers, and update a number's webhooks
// (SmsUrl, StatusCallback, VoiceUrl...). Every update is recorded, so tests can assert what was configured.
import type { Reply } from '../support/fake-server.js';
import { API_VERSION, rfc2822, twilioError, twilioSid } from './resources.js';

export type StoredNumber = {
  sid: string;
  accountSid: string;
  phoneNumber: string;
  friendlyName: string;
  smsUrl: string | null;
  smsMethod: string;
  statusCallback: string | null;
  statusCallbackMethod: string;
  voiceUrl: string | null;
  voiceMethod: string;
  dateCreated: Date;
  dateUpdated: Date;
};

/** One POST to IncomingPhoneNumbers/{sid}.json: which number, and the parameters sent. */
export type NumberUpdate = { at: string; accountSid: string; numberSid: string; phoneNumber: string; params: Record<string, string> };

/** The update parameters Twilio accepts for a number's webhooks, and the stored field each sets. */
const UPDATABLE = {
  SmsUrl: 'smsUrl', SmsMethod: 'smsMethod', StatusCallback: 'statusCallback', StatusCallbackMethod: 'statusCallbackMethod',
  VoiceUrl: 'voiceUrl', VoiceMethod: 'voiceMethod', FriendlyName: 'friendlyName',
} as const;

export function newNumber(accountSid: string, phoneNumber: string): StoredNumber {
  const now = new Date();
  return {
    sid: twilioSid('PN'), accountSid, phoneNumber, friendlyName: formatFriendly(phoneNumber), smsUrl: null, smsMethod: 'POST',
    statusCallback: null, statusCallbackMethod: 'POST', voiceUrl: null, voiceMethod: 'POST', dateCreated: now, dateUpdated: now,
  };
}

function formatFriendly(e164: string): string {
  const us = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return us ? `(${us[1]}) ${us[2]}-${us[3]}` : e164;
}

export function accountJson(sid: string): Record<string, unknown> {
  const uri = `/${API_VERSION}/Accounts/${sid}.json`;
  return {
    auth_token: '[Redacted]', date_created: rfc2822(new Date(0)), date_updated: rfc2822(new Date()), friendly_name: `Fake Twilio account ${sid.slice(-4)}`,
    owner_account_sid: sid, sid, status: 'active', type: 'Full', uri,
    subresource_uris: { incoming_phone_numbers: uri.replace('.json', '/IncomingPhoneNumbers.json'), messages: uri.replace('.json', '/Messages.json'), calls: uri.replace('.json', '/Calls.json') },
  };
}

export function numberJson(n: StoredNumber): Record<string, unknown> {
  return {
    account_sid: n.accountSid, address_requirements: 'none', api_version: API_VERSION, beta: false,
    capabilities: { voice: true, sms: true, mms: true, fax: false }, date_created: rfc2822(n.dateCreated), date_updated: rfc2822(n.dateUpdated),
    emergency_status: 'Inactive', friendly_name: n.friendlyName, origin: 'twilio', phone_number: n.phoneNumber, sid: n.sid,
    sms_application_sid: null, sms_fallback_method: 'POST', sms_fallback_url: null, sms_method: n.smsMethod, sms_url: n.smsUrl,
    status: 'in-use', status_callback: n.statusCallback, status_callback_method: n.statusCallbackMethod, voice_application_sid: null,
    voice_caller_id_lookup: false, voice_fallback_method: 'POST', voice_fallback_url: null, voice_method: n.voiceMethod, voice_url: n.voiceUrl,
    uri: `/${API_VERSION}/Accounts/${n.accountSid}/IncomingPhoneNumbers/${n.sid}.json`,
  };
}

/** GET IncomingPhoneNumbers.json (?PhoneNumber= filters), one page. */
export function listNumbers(all: readonly StoredNumber[], accountSid: string, query: URLSearchParams): Reply {
  const wanted = query.get('PhoneNumber');
  const pageSize = Math.min(Number(query.get('PageSize') ?? 50), 1000);
  const matches = all.filter((n) => n.accountSid === accountSid && (!wanted || n.phoneNumber === wanted)).slice(0, pageSize);
  const uri = `/${API_VERSION}/Accounts/${accountSid}/IncomingPhoneNumbers.json`;
  return {
    status: 200,
    body: {
      incoming_phone_numbers: matches.map(numberJson), end: Math.max(matches.length - 1, 0), first_page_uri: `${uri}?PageSize=${pageSize}&Page=0`,
      next_page_uri: null, page: 0, page_size: pageSize, previous_page_uri: null, start: 0, uri,
    },
  };
}

/** POST IncomingPhoneNumbers/{sid}.json: applies the known parameters and records the update. */
export function updateNumber(n: StoredNumber, form: Record<string, string>, updates: NumberUpdate[]): Reply {
  for (const name of ['SmsUrl', 'StatusCallback', 'VoiceUrl'] as const) {
    const url = form[name];
    if (url && !/^https?:\/\//.test(url)) return { status: 400, body: twilioError(400, 21502, `${name} is not a valid URL: ${url}`) };
  }
  for (const [param, field] of Object.entries(UPDATABLE)) {
    if (form[param] !== undefined) (n as Record<typeof field, unknown>)[field] = form[param];
  }
  n.dateUpdated = new Date();
  updates.push({ at: n.dateUpdated.toISOString(), accountSid: n.accountSid, numberSid: n.sid, phoneNumber: n.phoneNumber, params: { ...form } });
  return { status: 200, body: numberJson(n) };
}

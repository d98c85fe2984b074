import { fail, type RequestEvent } from '@sveltejs/kit';
import { ApiError, planRefusalOf } from '#lib/server/api.js';
import { backendJson, explainFailure } from '../agency/session-api.server.js';

export type TwilioWebhooks = { smsUrl: string; statusCallback: string; configured: boolean; note: string | null };
export type TwilioAccount = {
  accountSidLast4: string;
  phoneNumbers: string[];
  missedCallMaxSeconds: number | null;
  accountName: string | null;
  availableNumbers: string[];
  webhooks: TwilioWebhooks | null;
};

const SID = /^AC[0-9a-fA-F]{32}$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();
const action = 'twilio';

/** Twilio's own trouble (unreachable, an error answer) is worth showing as the API words it; the rest as usual. */
function failure(err: unknown, extra: Record<string, unknown> = {}) {
  if (err instanceof ApiError && ['PROVIDER_UNREACHABLE', 'PROVIDER_ERROR'].includes(String(err.code))) {
    return fail(err.status, { action, ...extra, errors: { form: err.message } as Record<string, string> });
  }
  const planRefusal = planRefusalOf(err);
  if (planRefusal) return fail(402, { action, ...extra, errors: {} as Record<string, string>, planRefusal });
  const { status, message, fields } = explainFailure(err);
  const errors: Record<string, string> = fields.authToken ? { authToken: fields.authToken } : fields.phoneNumber ? { phoneNumber: fields.phoneNumber } : { form: message };
  return fail(status, { action, ...extra, errors });
}

/** Channels → SMS and calls (Twilio): verify the account, choose the number, send a test missed call. */
export const twilioActions = {
  twilio: async (event: RequestEvent) => {
    const data = await event.request.formData();
    const accountSid = text(data, 'accountSid');
    const authToken = text(data, 'authToken');
    const errors: Record<string, string> = {};
    if (!SID.test(accountSid)) errors.accountSid = 'The Account SID starts with AC followed by 32 letters and digits.';
    if (authToken.length < 16) errors.authToken = 'Paste the Auth Token from the Twilio console.';
    if (Object.keys(errors).length > 0) return fail(400, { action, accountSid, errors });
    try {
      const account = await backendJson<TwilioAccount>(event, 'PUT', '/api/v1/tenant/providers/twilio', { accountSid, authToken });
      const found = account.availableNumbers.length;
      return { action, done: `Twilio verified: ${account.accountName ?? 'your account'}. ${found === 0 ? 'It has no phone numbers yet.' : `Choose the number to use (${found} found).`}` };
    } catch (err) {
      return failure(err, { accountSid });
    }
  },
  twilioNumber: async (event: RequestEvent) => {
    const phoneNumber = text(await event.request.formData(), 'phoneNumber');
    if (!E164.test(phoneNumber)) return fail(400, { action, errors: { phoneNumber: 'Choose one of the numbers listed.' } });
    try {
      const account = await backendJson<TwilioAccount>(event, 'PUT', '/api/v1/tenant/providers/twilio/number', { phoneNumber });
      return { action, done: account.webhooks?.configured ? `${phoneNumber} is set up: Twilio now sends its messages and call updates to Switchboard.` : `${phoneNumber} is connected. Paste the URLs below in the Twilio console.` };
    } catch (err) {
      return failure(err);
    }
  },
  twilioTestCall: async (event: RequestEvent) => {
    const callerNumber = text(await event.request.formData(), 'callerNumber').replace(/[\s()-]/g, '');
    if (callerNumber && !E164.test(callerNumber)) {
      return fail(400, { action, callerNumber, errors: { callerNumber: 'Enter your mobile in international form, e.g. +14155550123, or leave it empty.' } });
    }
    try {
      const result = await backendJson<{ message: string }>(event, 'POST', '/api/v1/tenant/providers/twilio/test-call', callerNumber ? { callerNumber } : {});
      return { action, testCall: result.message };
    } catch (err) {
      return failure(err, { callerNumber });
    }
  },
};

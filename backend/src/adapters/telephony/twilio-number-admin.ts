import { AccountCheckError, type AccountCredentials, type NumberWebhooks, type PhoneNumberAdmin, type ProviderAccount, type ProviderNumber } from '../../ports/phone-numbers.js';
import { TwilioHttpError, twilioClientFactory, type TwilioClient, type TwilioRestOptions } from '../messaging/twilio-rest.js';

type NumberResource = { sid: string; phoneNumber: string; friendlyName: string; smsUrl: string | null; statusCallback: string | null };
const toNumber = (n: NumberResource): ProviderNumber => ({
  sid: n.sid, phoneNumber: n.phoneNumber, friendlyName: n.friendlyName, smsUrl: n.smsUrl || null, statusCallback: n.statusCallback || null,
});

/**
 * Twilio account checks with the official SDK: fetch the account (GET /Accounts/{sid}.json) to verify the
 * credentials, list IncomingPhoneNumbers, and update a number's SmsUrl and StatusCallback (POST).
 */
export class TwilioNumberAdmin implements PhoneNumberAdmin {
  private readonly clientFor: (credentials: AccountCredentials) => TwilioClient;

  constructor(options: TwilioRestOptions) {
    const factory = twilioClientFactory({ timeoutMs: 10_000, ...options });
    this.clientFor = (credentials) => factory({ ...credentials, phoneNumbers: [] });
  }

  async verifyAccount(credentials: AccountCredentials): Promise<ProviderAccount> {
    const account = await attempt(() => this.clientFor(credentials).api.v2010.accounts(credentials.accountSid).fetch());
    return { name: account.friendlyName, status: account.status };
  }

  async listNumbers(credentials: AccountCredentials): Promise<ProviderNumber[]> {
    const numbers = await attempt(() => this.clientFor(credentials).api.v2010.accounts(credentials.accountSid).incomingPhoneNumbers.list({ limit: 200 }));
    return numbers.map(toNumber);
  }

  async configureNumber(credentials: AccountCredentials, numberSid: string, webhooks: NumberWebhooks): Promise<ProviderNumber> {
    const updated = await attempt(() =>
      this.clientFor(credentials).api.v2010.accounts(credentials.accountSid).incomingPhoneNumbers(numberSid).update({
        smsUrl: webhooks.smsUrl, smsMethod: 'POST', statusCallback: webhooks.statusCallback, statusCallbackMethod: 'POST',
      }),
    );
    return toNumber(updated);
  }
}

async function attempt<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toAccountCheckError(err);
  }
}

function toAccountCheckError(err: unknown): AccountCheckError {
  if (err instanceof TwilioHttpError) {
    const details = { status: err.status, code: err.body?.code };
    const message = `Twilio answered ${err.status}${err.body?.code ? ` (error ${err.body.code})` : ''}: ${err.message}`;
    return new AccountCheckError(message, err.status === 401 || err.status === 403 ? 'rejected' : 'failed', details);
  }
  return new AccountCheckError(`Twilio could not be reached: ${err instanceof Error ? err.message : String(err)}`, 'unreachable');
}

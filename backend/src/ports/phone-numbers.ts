// Port: checking a phone provider account and pointing its numbers' webhooks at us. Adapter: TwilioNumberAdmin.
export type AccountCredentials = { accountSid: string; authToken: string };
export type ProviderAccount = { name: string; status: string };
export type ProviderNumber = { sid: string; phoneNumber: string; friendlyName: string; smsUrl: string | null; statusCallback: string | null };
/** Where the provider posts inbound SMS and call progress for a number. */
export type NumberWebhooks = { smsUrl: string; statusCallback: string };

/** rejected: the provider refused the credentials; unreachable: no answer; failed: any other error answer. */
export class AccountCheckError extends Error {
  constructor(
    message: string,
    readonly kind: 'rejected' | 'unreachable' | 'failed',
    readonly details: { status?: number; code?: number } = {},
  ) {
    super(message);
    this.name = 'AccountCheckError';
  }
}

export interface PhoneNumberAdmin {
  /** The account behind the credentials; throws AccountCheckError. */
  verifyAccount(credentials: AccountCredentials): Promise<ProviderAccount>;
  listNumbers(credentials: AccountCredentials): Promise<ProviderNumber[]>;
  configureNumber(credentials: AccountCredentials, numberSid: string, webhooks: NumberWebhooks): Promise<ProviderNumber>;
}

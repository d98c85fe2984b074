import { AppError, providerError, providerUnreachable } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { AccountCheckError, type AccountCredentials, type PhoneNumberAdmin, type ProviderNumber } from '../../ports/phone-numbers.js';
import { assertEntitledBefore } from '../entitlements/check-entitlement.js';
import { findCredential } from './credential-repository.js';
import type { CredentialDeps } from './load-credentials.js';
import { saveTwilioCredentials, tenantOf } from './save-twilio-credentials.js';
import type { TwilioCredentialsView } from './schemas.js';
import { openTwilioCredentials, type TwilioWebhooks } from './twilio-credential-record.js';
import { twilioCanReach, twilioWebhookUrls } from './twilio-webhook-urls.js';

export type TwilioConnectDeps = CredentialDeps & {
  numberAdmin: PhoneNumberAdmin;
  /** PUBLIC_URL: what Twilio is told to call. */
  publicUrl: string;
  /** TWILIO_API_BASE_URL: a local fake can reach a local PUBLIC_URL, the real Twilio cannot. */
  twilioApiBaseUrl?: string;
};

/** Twilio's refusals and outages as answers a person can act on. */
export function explainAccountCheck(err: unknown): unknown {
  if (!(err instanceof AccountCheckError)) return err;
  if (err.kind === 'rejected') {
    return new AppError('VALIDATION_FAILED', 'Twilio refused these credentials. Check the Account SID and Auth Token in the Twilio console.', [
      { path: 'body.authToken', message: `Twilio refused the Account SID and Auth Token (${err.message})`, code: 'provider_rejected' },
    ]);
  }
  if (err.kind === 'unreachable') return providerUnreachable('twilio', `Twilio could not be reached; try again in a minute. ${err.message}`);
  return providerError('twilio', err.message, { status: err.details.status, code: err.details.code });
}

async function checked<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw explainAccountCheck(err);
  }
}

/**
 * Points the chosen numbers' SMS and call-status webhooks at us through Twilio's API when Twilio can reach
 * PUBLIC_URL; otherwise leaves them alone and says which URLs to paste where.
 */
async function configureWebhooks(deps: TwilioConnectDeps, credentials: AccountCredentials, chosen: ProviderNumber[]): Promise<TwilioWebhooks | null> {
  if (chosen.length === 0) return null;
  const urls = twilioWebhookUrls(deps.publicUrl);
  if (!twilioCanReach(deps.publicUrl, deps.twilioApiBaseUrl)) {
    const note = `Twilio cannot reach ${deps.publicUrl} (a local address), so Switchboard did not change the number. ` +
      'Set PUBLIC_URL to a public https address (e.g. a tunnel) and connect again, or paste these URLs in the Twilio console ' +
      '(Phone Numbers → Manage → Active numbers → your number): "A message comes in" and "Call status changes", both HTTP POST.';
    return { ...urls, configured: false, note };
  }
  for (const number of chosen) await checked(() => deps.numberAdmin.configureNumber(credentials, number.sid, urls));
  return { ...urls, configured: true, note: null };
}

function pick(available: ProviderNumber[], wanted: string[], field: string): ProviderNumber[] {
  const missing = wanted.filter((n) => !available.some((a) => a.phoneNumber === n));
  if (missing.length > 0) {
    throw new AppError('VALIDATION_FAILED', `Not a number of this Twilio account: ${missing.join(', ')}`, [
      { path: field, message: `not in this Twilio account (it has ${available.map((a) => a.phoneNumber).join(', ') || 'no numbers'})`, code: 'not_in_account' },
    ]);
  }
  return available.filter((a) => wanted.includes(a.phoneNumber));
}

/**
 * Connects the tenant's Twilio account: the credentials are verified (account fetch) before anything is
 * stored, the account's numbers are listed, and the chosen ones (if any yet) get their webhooks.
 */
export async function connectTwilioAccount(
  deps: TwilioConnectDeps,
  input: { actor: Actor; accountSid: string; authToken: string; phoneNumbers?: string[]; missedCallMaxSeconds?: number },
): Promise<TwilioCredentialsView> {
  // A Twilio account is the tenant's SMS line (calls ride on it): the plan must include SMS. Asked before Twilio is.
  await assertEntitledBefore(deps, tenantOf(input.actor), { kind: 'channel.enable', channel: 'sms' });
  const credentials = { accountSid: input.accountSid, authToken: input.authToken };
  const account = await checked(() => deps.numberAdmin.verifyAccount(credentials));
  if (account.status !== 'active') {
    throw new AppError('VALIDATION_FAILED', `This Twilio account is ${account.status}`, [{ path: 'body.accountSid', message: `the account is ${account.status}` }]);
  }
  const available = await checked(() => deps.numberAdmin.listNumbers(credentials));
  const chosen = pick(available, input.phoneNumbers ?? [], 'body.phoneNumbers');
  const webhooks = await configureWebhooks(deps, credentials, chosen);
  return saveTwilioCredentials(deps, {
    ...input, phoneNumbers: chosen.map((n) => n.phoneNumber),
    details: { accountName: account.name, availableNumbers: available.map((n) => n.phoneNumber), webhooks },
  });
}

/** Uses one number of the connected account for SMS and calls: configures its webhooks and routes them here. */
export async function chooseTwilioNumber(deps: TwilioConnectDeps, input: { actor: Actor; phoneNumber: string }): Promise<TwilioCredentialsView> {
  const scope = tenantOf(input.actor);
  const row = await deps.runInScope(scope, (tx) => findCredential(tx, { tenantId: scope.tenantId, provider: 'twilio' }));
  if (!row) throw new AppError('NOT_FOUND', 'Connect a Twilio account first');
  const stored = openTwilioCredentials(deps.encryptionKey, row);
  const credentials = { accountSid: stored.accountSid, authToken: stored.authToken };
  const available = await checked(() => deps.numberAdmin.listNumbers(credentials));
  const chosen = pick(available, [input.phoneNumber], 'body.phoneNumber');
  const webhooks = await configureWebhooks(deps, credentials, chosen);
  return saveTwilioCredentials(deps, {
    actor: input.actor, ...credentials, phoneNumbers: [input.phoneNumber], missedCallMaxSeconds: stored.metadata.missedCallMaxSeconds,
    details: { accountName: stored.metadata.accountName, availableNumbers: available.map((n) => n.phoneNumber), webhooks },
  });
}

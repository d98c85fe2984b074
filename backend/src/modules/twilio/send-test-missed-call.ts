import { randomBytes, randomInt } from 'node:crypto';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { findCredential } from '../provider-credentials/credential-repository.js';
import type { CredentialDeps } from '../provider-credentials/load-credentials.js';
import { tenantOf } from '../provider-credentials/save-twilio-credentials.js';
import { openTwilioCredentials } from '../provider-credentials/twilio-credential-record.js';

export type TestCallDeps = CredentialDeps & {
  /** PUBLIC_URL: the URL Twilio would have called, which the signature covers. */
  publicUrl: string;
  /** Where this API listens on this machine (the request goes through our real webhook endpoint). */
  selfUrl: string;
  /** X-Twilio-Signature for (auth token, URL, params), computed exactly as Twilio does. */
  signWebhook: (authToken: string, url: string, params: Record<string, string>) => string;
};

/** The query that marks the replayed webhook as a test; inside the signed URL, so only the auth token's holder can set it. */
export const TEST_CALL_QUERY = 'test=1';

/** A fictional caller: 555-0100..0199 numbers are reserved for fiction, so no real phone gets the text-back. */
export const fictionalCaller = (): string => `+131255501${String(randomInt(0, 100)).padStart(2, '0')}`;

/**
 * "Send a test missed call": replays, through our own public webhook endpoint, the signed call-status
 * webhook Twilio sends when a call to the tenant's number goes unanswered. The whole real path runs
 * (signature check, call log, call.missed, the after-call workflow); the call is flagged as a test.
 */
export async function sendTestMissedCall(deps: TestCallDeps, input: { actor: Actor; callerNumber?: string }) {
  const scope = tenantOf(input.actor);
  const row = await deps.runInScope(scope, (tx) => findCredential(tx, { tenantId: scope.tenantId, provider: 'twilio' }));
  if (!row) throw new AppError('NOT_FOUND', 'Connect a Twilio account first');
  const credentials = openTwilioCredentials(deps.encryptionKey, row);
  const ourNumber = credentials.phoneNumbers[0];
  if (!ourNumber) throw new AppError('VALIDATION_FAILED', 'Choose the Twilio number to use first', [{ path: 'body', message: 'no number chosen' }]);
  const from = input.callerNumber ?? fictionalCaller();
  const callSid = `CA${randomBytes(16).toString('hex')}`;
  const params: Record<string, string> = {
    AccountSid: credentials.accountSid, ApiVersion: '2010-04-01', CallSid: callSid, CallStatus: 'no-answer', CallDuration: '0',
    Called: ourNumber, Caller: from, From: from, To: ourNumber, Direction: 'inbound', CallbackSource: 'call-progress-events',
    Timestamp: new Date().toUTCString(),
  };
  const path = `/webhooks/twilio/voice/status?${TEST_CALL_QUERY}`;
  const signature = deps.signWebhook(credentials.authToken, `${deps.publicUrl.replace(/\/+$/, '')}${path}`, params);
  const res = await fetch(`${deps.selfUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
    signal: AbortSignal.timeout(10_000),
  }).catch((err: unknown) => {
    throw new AppError('DEPENDENCY_UNAVAILABLE', `The test call could not reach our webhook endpoint at ${deps.selfUrl}: ${String(err)}`, { dependency: 'api' });
  });
  if (res.status !== 200) {
    throw new AppError('DEPENDENCY_UNAVAILABLE', `Our webhook endpoint answered ${res.status} to the test call: ${(await res.text()).slice(0, 200)}`, { dependency: 'api' });
  }
  await deps.runInScope(scope, (tx) =>
    recordAuditEvent(tx, {
      ...scope, ...auditOrigin(input.actor), action: 'twilio.test_call.sent', target: { type: 'call', id: callSid },
      after: { test: true, from, to: ourNumber, callerIsUsersOwnNumber: input.callerNumber !== undefined },
    }),
  );
  const message = input.callerNumber
    ? `Test missed call from ${from} to ${ourNumber} sent. The text-back goes to ${from}; follow it on the Calls page.`
    : `Test missed call from ${from} (a fictional number) to ${ourNumber} sent. Follow the text-back on the Calls page.`;
  return { test: true as const, callSid, from, to: ourNumber, message };
}

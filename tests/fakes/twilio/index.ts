export { FakeTwilio, type FakeTwilioOptions, type TwilioAccount } from './fake-twilio.js';
export type { CallOutcome, MessageOutcome } from './lifecycle.js';
export { twilioSid, segmentCount, type StoredCall, type StoredMessage } from './resources.js';
export { signTwilioWebhook, TwilioWebhookSender, type TwilioWebhook } from './webhooks.js';
export type { NumberUpdate, StoredNumber } from './numbers.js';

// What happens after Twilio accepts a message or a call: the status progression and the signed
// status callbacks (form-encoded, X-Twilio-Signature over the callback URL as given + sorted params).
import twilio from 'twilio';
import type { CallbackSender } from '../support/callbacks.js';
import type { Scheduler } from '../support/scheduler.js';
import { API_VERSION, type CallStatus, type StoredCall, type StoredMessage } from './resources.js';

export type MessageOutcome = { status: 'delivered' | 'failed' | 'undelivered'; errorCode?: number };
export type CallOutcome = { status: 'completed' | 'no-answer' | 'busy' | 'failed' | 'canceled'; durationSeconds?: number };

export type LifecycleDeps = { callbacks: CallbackSender; scheduler: Scheduler; stepMs: number; tokenFor: (accountSid: string) => string };

function signAndPost(deps: LifecycleDeps, accountSid: string, url: string, params: Record<string, string>): Promise<void> {
  const signature = twilio.getExpectedTwilioSignature(deps.tokenFor(accountSid), url, params);
  return deps.callbacks.post(url, params, { 'x-twilio-signature': signature, 'i-twilio-idempotency-token': `${params.MessageSid ?? params.CallSid}-${params.MessageStatus ?? params.CallStatus}` });
}

/** queued → sent → delivered | undelivered | failed (with ErrorCode), one callback per step. */
export function progressMessage(deps: LifecycleDeps, message: StoredMessage, outcome: MessageOutcome): void {
  const steps: { status: StoredMessage['status']; errorCode?: number }[] =
    outcome.status === 'failed' ? [{ status: 'failed', errorCode: outcome.errorCode ?? 30008 }] : [{ status: 'sent' }, outcome];
  steps.forEach((step, index) => {
    deps.scheduler.later(deps.stepMs * (index + 1), () => {
      message.status = step.status;
      message.dateUpdated = new Date();
      if (step.status === 'sent') message.dateSent = new Date();
      if (step.status !== 'sent' && step.status !== 'delivered') message.errorCode = step.errorCode ?? 30003;
      if (!message.statusCallback) return;
      const params: Record<string, string> = {
        AccountSid: message.accountSid, ApiVersion: API_VERSION, From: message.from, To: message.to,
        MessageSid: message.sid, SmsSid: message.sid, MessageStatus: step.status, SmsStatus: step.status,
      };
      if (message.errorCode !== null && step.status !== 'sent' && step.status !== 'delivered') params.ErrorCode = String(message.errorCode);
      return signAndPost(deps, message.accountSid, message.statusCallback, params);
    });
  });
}

function callSteps(outcome: CallOutcome): { status: CallStatus; event: string }[] {
  const head: { status: CallStatus; event: string }[] = [{ status: 'initiated', event: 'initiated' }, { status: 'ringing', event: 'ringing' }];
  if (outcome.status === 'completed') return [...head, { status: 'in-progress', event: 'answered' }, { status: 'completed', event: 'completed' }];
  if (outcome.status === 'failed') return [{ status: 'failed', event: 'completed' }];
  return [...head, { status: outcome.status, event: 'completed' }];
}

/** initiated → ringing → answered → completed (or no-answer / busy / failed); callbacks for the events asked for. */
export function progressCall(deps: LifecycleDeps, call: StoredCall, outcome: CallOutcome): void {
  const events = call.statusCallbackEvents.length > 0 ? call.statusCallbackEvents : ['completed'];
  callSteps(outcome).forEach((step, index) => {
    deps.scheduler.later(deps.stepMs * (index + 1), () => {
      call.status = step.status;
      if (step.status === 'in-progress') call.startTime = new Date();
      const final = step.event === 'completed';
      if (final) {
        call.endTime = new Date();
        call.duration = step.status === 'completed' ? (outcome.durationSeconds ?? 30) : 0;
      }
      if (!call.statusCallback || !events.includes(step.event)) return;
      const params: Record<string, string> = {
        AccountSid: call.accountSid, ApiVersion: API_VERSION, CallSid: call.sid, CallStatus: step.status,
        Called: call.to, Caller: call.from, From: call.from, To: call.to, Direction: 'outbound-api',
        CallbackSource: 'call-progress-events', SequenceNumber: String(index), Timestamp: new Date().toUTCString(),
      };
      if (final) Object.assign(params, { CallDuration: String(call.duration), Duration: String(Math.ceil((call.duration ?? 0) / 60)) });
      return signAndPost(deps, call.accountSid, call.statusCallback, params);
    });
  });
}

import type { CallStatus } from '../calls/call-status.js';
import { isCallStatus } from '../calls/call-status.js';
import type { ProviderStatus } from '../messages/message-status.js';

// Twilio's words for message and call states, mapped onto ours.
const MESSAGE_STATUS: Record<string, ProviderStatus | undefined> = {
  sent: 'sent', delivered: 'delivered', read: 'read', failed: 'failed', undelivered: 'undelivered', canceled: 'failed',
};

/** Statuses worth telling the domain about; queued/accepted/sending change nothing we track. */
export function messageStatusFromTwilio(status: string | undefined): ProviderStatus | undefined {
  return status ? MESSAGE_STATUS[status] : undefined;
}

export function callStatusFromTwilio(status: string | undefined): CallStatus | undefined {
  return status && isCallStatus(status) ? status : undefined;
}

export function callDirectionFromTwilio(direction: string | undefined): 'inbound' | 'outbound' {
  return direction === 'inbound' ? 'inbound' : 'outbound';
}

/** Our number in a call: the called party of an inbound call, the caller of one we placed. */
export function ourNumbersInCall(params: Record<string, string | undefined>): (string | undefined)[] {
  return callDirectionFromTwilio(params.Direction) === 'inbound' ? [params.To, params.Called] : [params.From, params.Caller];
}

// Webhooks as Twilio sends them to our backend: form-encoded, X-Twilio-Signature = HMAC-SHA1(auth token,
// public URL + sorted params). `publicUrl` is what Twilio was configured with (our PUBLIC_URL);
// `deliverTo` is where the request really goes (the test server), so the Host differs like behind a proxy.
import twilio from 'twilio';
import { API_VERSION, twilioSid } from './resources.js';

export type TwilioWebhook = { path: string; url: string; params: Record<string, string>; signature: string };

export function signTwilioWebhook(authToken: string, url: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

export type InboundSms = { from: string; to: string; body: string; messageSid?: string };
export type SmsStatus = { messageSid: string; from: string; to: string; status: string; errorCode?: number; mid?: string };
export type CallStatusUpdate = {
  callSid?: string;
  from: string;
  to: string;
  status: 'queued' | 'initiated' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';
  direction?: 'inbound' | 'outbound-api' | 'outbound-dial';
  durationSeconds?: number;
  query?: string;
};

export class TwilioWebhookSender {
  constructor(readonly options: { publicUrl: string; deliverTo: string; accountSid: string; authToken: string }) {}

  inboundSmsWebhook(sms: InboundSms): TwilioWebhook {
    const sid = sms.messageSid ?? twilioSid('SM');
    return this.build('/webhooks/twilio/sms/inbound', {
      AccountSid: this.options.accountSid, ApiVersion: API_VERSION, Body: sms.body, From: sms.from, To: sms.to,
      MessageSid: sid, SmsMessageSid: sid, SmsSid: sid, NumMedia: '0', NumSegments: '1', SmsStatus: 'received',
    });
  }

  smsStatusWebhook(update: SmsStatus): TwilioWebhook {
    const params: Record<string, string> = {
      AccountSid: this.options.accountSid, ApiVersion: API_VERSION, From: update.from, To: update.to,
      MessageSid: update.messageSid, SmsSid: update.messageSid, MessageStatus: update.status, SmsStatus: update.status,
    };
    if (update.errorCode !== undefined) params.ErrorCode = String(update.errorCode);
    return this.build(`/webhooks/twilio/sms/status${update.mid ? `?mid=${update.mid}` : ''}`, params);
  }

  callStatusWebhook(update: CallStatusUpdate): TwilioWebhook {
    const params: Record<string, string> = {
      AccountSid: this.options.accountSid, ApiVersion: API_VERSION, CallSid: update.callSid ?? twilioSid('CA'),
      CallStatus: update.status, Called: update.to, Caller: update.from, From: update.from, To: update.to,
      Direction: update.direction ?? 'inbound', CallbackSource: 'call-progress-events', Timestamp: new Date().toUTCString(),
    };
    if (update.durationSeconds !== undefined) {
      params.CallDuration = String(update.durationSeconds);
      params.Duration = String(Math.ceil(update.durationSeconds / 60));
    }
    return this.build(`/webhooks/twilio/voice/status${update.query ? `?${update.query}` : ''}`, params);
  }

  /** Posts a webhook; `signature: null` leaves the header out, a string overrides it. */
  async post(webhook: TwilioWebhook, options: { signature?: string | null; params?: Record<string, string> } = {}): Promise<{ status: number; body: string }> {
    const signature = options.signature === undefined ? webhook.signature : options.signature;
    const res = await fetch(`${this.options.deliverTo}${webhook.path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': 'TwilioProxy/1.1',
        ...(signature === null ? {} : { 'x-twilio-signature': signature }),
      },
      body: new URLSearchParams(options.params ?? webhook.params).toString(),
    });
    return { status: res.status, body: await res.text() };
  }

  private build(path: string, params: Record<string, string>): TwilioWebhook {
    const url = `${this.options.publicUrl}${path}`;
    return { path, url, params, signature: signTwilioWebhook(this.options.authToken, url, params) };
  }
}

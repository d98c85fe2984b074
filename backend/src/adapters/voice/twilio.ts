import type { CallResult, OutboundCall, VoicePort } from '../../ports/voice.js';
import { parseTwilioCredentials, toProviderError, twilioClientFactory, type TwilioClient, type TwilioCredentials, type TwilioRestOptions } from '../messaging/twilio-rest.js';

export type TwilioVoiceOptions = TwilioRestOptions & {
  /** PUBLIC_URL: call progress goes to `${publicUrl}/webhooks/twilio/voice/status?cid=<call id>`. */
  publicUrl: string;
  /** Text-to-speech voice for <Say>; Twilio's default when unset. */
  voice?: string;
};

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** A call that speaks one message: <Response><Say>…</Say></Response>, the text XML-escaped. */
export function sayTwiml(message: string, options: { language?: string; voice?: string } = {}): string {
  const attributes = [options.voice && `voice="${escapeXml(options.voice)}"`, options.language && `language="${escapeXml(options.language)}"`].filter(Boolean);
  return `<Response><Say${attributes.length ? ` ${attributes.join(' ')}` : ''}>${escapeXml(message)}</Say></Response>`;
}

/** Outbound calls through Twilio's Calls API with the official SDK. */
export class TwilioVoice implements VoicePort {
  private readonly clientFor: (credentials: TwilioCredentials) => TwilioClient;

  constructor(private readonly options: TwilioVoiceOptions) {
    this.clientFor = twilioClientFactory(options);
  }

  statusCallbackUrl(callId: string): string {
    return `${this.options.publicUrl.replace(/\/+$/, '')}/webhooks/twilio/voice/status?cid=${encodeURIComponent(callId)}`;
  }

  async placeCall(call: OutboundCall, credentials: unknown): Promise<CallResult> {
    const creds = parseTwilioCredentials(credentials);
    try {
      const created = await this.clientFor(creds).calls.create({
        to: call.to,
        from: call.from || creds.phoneNumbers[0]!,
        twiml: sayTwiml(call.spokenMessage, { language: call.language, voice: this.options.voice }),
        statusCallback: this.statusCallbackUrl(call.callId),
        statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
        statusCallbackMethod: 'POST',
      });
      return { providerCallId: created.sid, status: created.status };
    } catch (err) {
      throw toProviderError(err);
    }
  }
}

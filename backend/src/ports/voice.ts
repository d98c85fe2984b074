// Port: phone calls. Adapter: TwilioVoice.
export type OutboundCall = { callId: string; tenantId: string; from: string; to: string; spokenMessage: string; language?: string };
export type CallResult = { providerCallId: string; status: string };

export interface VoicePort {
  placeCall(call: OutboundCall, credentials: unknown): Promise<CallResult>;
}

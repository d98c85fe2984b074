/** The webhooks a Twilio number needs: inbound SMS, and call progress (missed calls). Delivery receipts are set per message. */
export function twilioWebhookUrls(publicUrl: string): { smsUrl: string; statusCallback: string } {
  const base = publicUrl.replace(/\/+$/, '');
  return { smsUrl: `${base}/webhooks/twilio/sms/inbound`, statusCallback: `${base}/webhooks/twilio/voice/status` };
}

// Local: loopback, private ranges, reserved local suffixes, and single-label names (a compose service such as
// `fakes`, which no public DNS can resolve).
const LOCAL_HOST = /^([a-z0-9-]+|localhost|.*\.localhost|.*\.local|.*\.internal|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|0\.0\.0\.0|\[::1?\])$/i;

export function isLocalAddress(url: string): boolean {
  try {
    return LOCAL_HOST.test(new URL(url).hostname);
  } catch {
    return true;
  }
}

/**
 * Whether Twilio can call PUBLIC_URL: not when it is a local or private address (make dev, a LAN), unless
 * "Twilio" is itself a local fake (TWILIO_API_BASE_URL on this machine), which reaches local addresses fine.
 */
export function twilioCanReach(publicUrl: string, twilioApiBaseUrl?: string): boolean {
  if (!isLocalAddress(publicUrl)) return true;
  return twilioApiBaseUrl !== undefined && isLocalAddress(twilioApiBaseUrl);
}

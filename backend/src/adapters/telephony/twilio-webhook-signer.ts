import twilio from 'twilio';

/** X-Twilio-Signature as Twilio computes it (HMAC-SHA1 of the URL and the sorted form params with the auth token). */
export function signTwilioWebhook(authToken: string, url: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

import { Router, type Request, type RequestHandler, type Response } from 'express';
import { AppError } from '../../http/errors.js';
import { countSignatureFailures } from '../../metrics/signature-failures.js';
import { toStorable } from '../../infra/storable-text.js';
import type { InboundMessage } from '../messages/receive-inbound.js';
import type { ProviderStatusUpdate } from '../messages/apply-provider-status.js';
import { recordCallStatus, type CallEventDeps } from '../calls/record-call-status.js';
import { recordWebhookFailure } from '../system-health/record-webhook-failure.js';
import { authenticateTwilioWebhook, type AuthenticatedWebhook, type WebhookAuthDeps } from './authenticate-webhook.js';
import { callDirectionFromTwilio, callStatusFromTwilio, messageStatusFromTwilio, ourNumbersInCall } from './twilio-vocabulary.js';

export type TwilioWebhookDeps = WebhookAuthDeps &
  CallEventDeps & {
    /** Default when the tenant set none: a completed call shorter than this is a missed call. */
    missedCallMaxSeconds: number;
    /** Takes a verified inbound message (queued for the worker in production: see queueInbound). */
    acceptInbound: (inbound: InboundMessage) => Promise<unknown>;
    applyProviderStatus: (update: ProviderStatusUpdate) => Promise<unknown>;
  };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

type Params = Record<string, string | undefined>;
type Handler = (req: Request, webhook: AuthenticatedWebhook, params: Params) => Promise<void>;

function twimlOk(res: Response): void {
  res.status(200).type('text/xml').send(EMPTY_TWIML);
}

function required(params: Params, ...names: string[]): void {
  const missing = names.filter((name) => !params[name]);
  if (missing.length > 0) throw new AppError('VALIDATION_FAILED', `Missing ${missing.join(', ')}`);
}

function queryParam(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' && UUID.test(value) ? value : undefined;
}

/** Public, signature-authenticated endpoints Twilio calls. Not in the API registry (no principal). */
export function twilioWebhookRouter(deps: TwilioWebhookDeps): Router {
  const router = Router();
  const signed = (ourNumbers: (params: Params) => (string | undefined)[], handle: Handler): RequestHandler => async (req, res) => {
    const params = (req.body ?? {}) as Params;
    const webhook = await authenticateTwilioWebhook(deps, {
      originalUrl: req.originalUrl, signature: req.get('x-twilio-signature'), params, ourNumberCandidates: ourNumbers(params),
    });
    if (!webhook) {
      await recordWebhookFailure(deps, { provider: 'twilio', reason: 'X-Twilio-Signature missing or invalid' });
      throw new AppError('FORBIDDEN', 'Invalid Twilio signature');
    }
    // Signed as sent; stored with NUL and lone surrogates replaced (PostgreSQL cannot store them).
    await handle(req, webhook, toStorable(params));
    twimlOk(res);
  };

  router.post('/webhooks/twilio/sms/inbound', signed((p) => [p.To], async (_req, webhook, p) => {
    required(p, 'MessageSid', 'From', 'To');
    await deps.acceptInbound({
      agencyId: webhook.agencyId, tenantId: webhook.tenantId, channel: 'sms', from: p.From!, to: p.To!, body: p.Body ?? null,
      providerMessageId: p.MessageSid!, provider: 'twilio', receivedAt: new Date(), raw: p,
    });
  }));

  router.post('/webhooks/twilio/sms/status', signed((p) => [p.From], async (req, webhook, p) => {
    required(p, 'MessageSid');
    const status = messageStatusFromTwilio(p.MessageStatus ?? p.SmsStatus);
    if (!status) return;
    await deps.applyProviderStatus({
      agencyId: webhook.agencyId, tenantId: webhook.tenantId, provider: 'twilio', providerMessageId: p.MessageSid!,
      messageId: queryParam(req, 'mid'), status, errorCode: p.ErrorCode ?? null, errorMessage: p.ErrorMessage ?? null, at: new Date(),
    });
  }));

  router.post('/webhooks/twilio/voice/status', signed(ourNumbersInCall, async (req, webhook, p) => {
    required(p, 'CallSid', 'From', 'To', 'CallStatus');
    const status = callStatusFromTwilio(p.CallStatus);
    if (!status) throw new AppError('VALIDATION_FAILED', `Unknown CallStatus ${p.CallStatus}`);
    const duration = p.CallDuration === undefined ? null : Number.parseInt(p.CallDuration, 10);
    await recordCallStatus(deps, {
      agencyId: webhook.agencyId, tenantId: webhook.tenantId,
      missedCallMaxSeconds: webhook.metadata.missedCallMaxSeconds ?? deps.missedCallMaxSeconds,
      update: {
        provider: 'twilio', providerCallId: p.CallSid!, callId: queryParam(req, 'cid'), direction: callDirectionFromTwilio(p.Direction),
        from: p.From!, to: p.To!, status, durationSeconds: Number.isFinite(duration) ? duration : null, at: new Date(),
        // Set only by sendTestMissedCall: the query is part of the signed URL, so nobody without the auth token can add it.
        isTest: req.query.test === '1',
      },
    });
  }));
  router.use(countSignatureFailures('twilio'));
  return router;
}

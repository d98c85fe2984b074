import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { QueryTypes, Sequelize } from 'sequelize';
import { Browser } from '../../backend/test/support/browser.js';
import { createPerson, createTenant } from '../../backend/test/support/identity-world.js';
import { SIGNATURE_HEADER, signEventPayload } from '../../backend/src/modules/events/event-signature.js';
import { decryptSecret } from '../../backend/src/infra/crypto.js';
import type { Shot } from './load-generator.js';
import type { BenchStack } from './n8n-stack.js';
import { AFTER_CALL_ID } from './n8n-workflows.js';

// The after-call workload: one tenant of the seeded agency (the one n8n's service token acts for) with
// Twilio and WhatsApp numbers on the fakes and a policy that lets a missed-call follow-up go out, and
// `call.missed` deliveries signed exactly as the backend signs them (deliver-webhooks.ts) with the secret
// of the subscription the after-call trigger made when n8n published it.
export type AfterCallTarget = { tenantId: string; agencyId: string; webhookPath: string; origin: string; secret: string };

async function expectStatus(res: { status: number; body: unknown }, status: number, what: string): Promise<void> {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
}

export async function arrangeAfterCall(bench: BenchStack): Promise<AfterCallTarget> {
  const db = new Sequelize(bench.appAdminUrl, { logging: false });
  try {
    const [agency] = await db.query<{ id: string }>('SELECT id FROM agencies ORDER BY created_at LIMIT 1', { type: QueryTypes.SELECT });
    const tenantId = await createTenant(db, agency!.id);
    const person = await createPerson(db, [{ agencyId: agency!.id, tenantId, role: 'tenant_admin' }]);
    const api = bench.stack.urls.api;
    const admin = new Browser(api);
    await expectStatus(await admin.signIn(person.email, person.password), 200, 'sign-in');
    const ourNumber = usNumber();
    const account = bench.fakes.twilio.addAccount({ numbers: [ourNumber] });
    await expectStatus(await admin.send('put', '/api/v1/tenant/providers/twilio', { body: { accountSid: account.sid, authToken: account.authToken, phoneNumbers: [ourNumber] } }), 200, 'Twilio');
    const phoneNumberId = String(randomInt(100_000_000, 999_999_999));
    const number = bench.fakes.whatsapp.addNumber({ phoneNumberId, displayNumber: usNumber(), webhookUrl: `${api}/webhooks/whatsapp-cloud/${agency!.id}/${tenantId}` });
    await expectStatus(await admin.send('put', '/api/v1/tenant/providers/whatsapp-cloud', {
      body: { accessToken: number.accessToken, appSecret: number.appSecret, verifyToken: randomBytes(8).toString('hex'), phoneNumberId, displayNumber: number.displayNumber },
    }), 200, 'WhatsApp');
    const current = (await admin.get('/api/v1/messaging-settings')).body as Record<string, unknown> & { optInRequired: Record<string, boolean> };
    // A missed call is the caller reaching out: follow up without a prior opt-in, at any hour.
    await expectStatus(await admin.send('put', '/api/v1/messaging-settings', {
      body: { ...current, optInRequired: { ...current.optInRequired, sms: false, whatsapp: false }, sendingWindow: { start: '00:00', end: '23:59' } },
    }), 200, 'messaging settings');
    const [subscription] = await db.query<{ url: string; secret: string }>(
      `SELECT url, secret_encrypted AS secret FROM event_subscriptions WHERE description LIKE :workflow ORDER BY created_at DESC LIMIT 1`,
      { replacements: { workflow: `%(${AFTER_CALL_ID})%` }, type: QueryTypes.SELECT },
    );
    if (!subscription) throw new Error(`the after-call workflow (${AFTER_CALL_ID}) made no event subscription: is it active?`);
    const url = new URL(subscription.url);
    return { tenantId, agencyId: agency!.id, webhookPath: url.pathname, origin: url.origin, secret: decryptSecret(bench.encryptionKey, subscription.secret) };
  } finally {
    await db.close();
  }
}

let numberCounter = randomInt(0, 7_000_000);
/** A fresh, valid US number per call (each missed call is a new caller, so a new contact); exchanges 200-899 are valid. */
function usNumber(): string {
  return `+1312${2_000_000 + (numberCounter++ % 7_000_000)}`;
}

/** `count` signed call.missed deliveries (inbound, each its own call and caller), as deliver-webhooks.ts posts them. */
export function missedCallShots(target: AfterCallTarget, count: number): Shot[] {
  return Array.from({ length: count }, () => {
    const callId = randomUUID();
    const event = {
      id: randomUUID(), type: 'call.missed', agencyId: target.agencyId, tenantId: target.tenantId, occurredAt: new Date().toISOString(),
      data: { callId, providerCallId: `CA${randomBytes(16).toString('hex')}`, provider: 'twilio', direction: 'inbound', from: usNumber(), to: '+13125550100', status: 'no-answer', durationSeconds: 0 },
    };
    const body = JSON.stringify(event);
    return {
      path: target.webhookPath,
      body,
      headers: {
        'content-type': 'application/json', 'user-agent': 'Switchboard-Webhooks/1', 'x-switchboard-event-id': event.id, 'x-switchboard-event': event.type,
        'x-switchboard-delivery-id': randomUUID(), [SIGNATURE_HEADER.toLowerCase()]: signEventPayload(target.secret, body),
      },
    };
  });
}

import { randomBytes, randomInt } from 'node:crypto';
import { Sequelize } from 'sequelize';
import { Browser } from '../../../backend/test/support/browser.js';
import { createPerson, createTenant } from '../../../backend/test/support/identity-world.js';
import { TwilioWebhookSender } from '../../fakes/twilio/index.js';
import type { CloudNumber } from '../../fakes/whatsapp-cloud/index.js';
import { e2eDatabaseAdminUrl, e2eFakes, e2eStack } from './e2e-stack.js';

export type E2eTenant = {
  tenantId: string;
  admin: Browser;
  twilio: TwilioWebhookSender;
  twilioNumber: string;
  whatsapp: CloudNumber;
};

let phoneCounter = randomInt(1000, 8000);
/** A fresh US number (the 555-01xx range is reserved for fiction). */
export const freshNumber = () => `+1312555${String(phoneCounter++ % 10_000).padStart(4, '0')}`;

async function expectOk(res: { status: number; body: unknown }, status: number): Promise<void> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
}

/**
 * A tenant of the seeded agency (the one n8n's service token acts for) with its admin signed in, a Twilio
 * number and a WhatsApp Cloud API number on the fakes, and messaging settings for the scenario.
 */
export async function arrangeTenant(settings: { sendingWindow?: { start: string; end: string }; defaults?: boolean } = {}): Promise<E2eTenant> {
  const db = new Sequelize(e2eDatabaseAdminUrl(), { logging: false });
  try {
    const [[agency]] = (await db.query('SELECT id FROM agencies ORDER BY created_at LIMIT 1')) as [{ id: string }[], unknown];
    const tenantId = await createTenant(db, agency!.id);
    const person = await createPerson(db, [{ agencyId: agency!.id, tenantId, role: 'tenant_admin' }]);
    const { urls } = e2eStack();
    const admin = new Browser(urls.api);
    await expectOk(await admin.signIn(person.email, person.password), 200);
    const { twilio, whatsapp } = e2eFakes();
    const twilioNumber = freshNumber();
    const account = twilio.addAccount({ numbers: [twilioNumber] });
    await expectOk(await admin.send('put', '/api/v1/tenant/providers/twilio', { body: { accountSid: account.sid, authToken: account.authToken, phoneNumbers: [twilioNumber] } }), 200);
    const sender = new TwilioWebhookSender({ publicUrl: urls.api, deliverTo: urls.api, accountSid: account.sid, authToken: account.authToken });
    // defaults: a new business as it comes (opt-in required on SMS and WhatsApp, no WhatsApp connected), only Twilio.
    if (settings.defaults) return { tenantId, admin, twilio: sender, twilioNumber, whatsapp: undefined as unknown as CloudNumber };
    const phoneNumberId = String(randomInt(100_000_000, 999_999_999));
    const number = whatsapp.addNumber({ phoneNumberId, displayNumber: freshNumber(), webhookUrl: `${urls.api}/webhooks/whatsapp-cloud/${agency!.id}/${tenantId}` });
    await expectOk(await admin.send('put', '/api/v1/tenant/providers/whatsapp-cloud', {
      body: { accessToken: number.accessToken, appSecret: number.appSecret, verifyToken: randomBytes(8).toString('hex'), phoneNumberId, displayNumber: number.displayNumber },
    }), 200);
    const current = (await admin.get('/api/v1/messaging-settings')).body as Record<string, unknown> & { optInRequired: Record<string, boolean> };
    // A missed call is the caller reaching out: this business follows up without a prior opt-in.
    await expectOk(await admin.send('put', '/api/v1/messaging-settings', {
      // whatsappTransport: WhatsApp goes through the Cloud API number above (the default is a linked device).
      body: { ...current, whatsappTransport: 'cloud', optInRequired: { ...current.optInRequired, sms: false, whatsapp: false }, sendingWindow: settings.sendingWindow ?? { start: '00:00', end: '23:59' } },
    }), 200);
    return { tenantId, admin, twilio: sender, twilioNumber, whatsapp: number };
  } finally {
    await db.close();
  }
}

/** An agency owner of the seeded agency, signed in (the agency overview's reader). */
export async function signedInAgencyOwner(): Promise<Browser> {
  const db = new Sequelize(e2eDatabaseAdminUrl(), { logging: false });
  try {
    const [[agency]] = (await db.query('SELECT id FROM agencies ORDER BY created_at LIMIT 1')) as [{ id: string }[], unknown];
    const person = await createPerson(db, [{ agencyId: agency!.id, tenantId: null, role: 'agency_owner' }]);
    const browser = new Browser(e2eStack().urls.api);
    await expectOk(await browser.signIn(person.email, person.password), 200);
    return browser;
  } finally {
    await db.close();
  }
}

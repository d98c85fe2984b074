import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser as Chromium, type Page } from 'playwright-core';
import { Sequelize } from 'sequelize';
import { createPerson } from '../../backend/test/support/identity-world.js';
import { e2eDatabaseAdminUrl, e2eFakes, e2eStack } from './support/e2e-stack.js';
import { arrangeTenant, freshNumber, type E2eTenant } from './support/tenant-world.js';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');

/** A business reads and answers a conversation in the portal; the inbound message comes through the fake Twilio. */
describe('portal conversations (Chromium, native stack)', function () {
  this.timeout(120_000);
  let chromiumBrowser: Chromium;
  let page: Page;
  let tenant: E2eTenant;
  let person: { email: string; password: string };

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tenant = await arrangeTenant();
    const db = new Sequelize(e2eDatabaseAdminUrl(), { logging: false });
    try {
      const [[row]] = (await db.query('SELECT agency_id AS "agencyId" FROM tenants WHERE id = :id', { replacements: { id: tenant.tenantId } })) as [{ agencyId: string }[], unknown];
      person = await createPerson(db, [{ agencyId: row!.agencyId, tenantId: tenant.tenantId, role: 'tenant_member' }]);
    } finally {
      await db.close();
    }
    chromiumBrowser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
    page = await (await chromiumBrowser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${e2eStack().urls.portal}/sign-in?next=/conversations`, { waitUntil: 'networkidle' });
    await page.fill('input[name=email]', person.email);
    await page.fill('input[name=password]', person.password);
    await page.click('button[type=submit]');
    // The path itself: '/sign-in?next=/conversations' also ends in '/conversations'.
    await page.waitForURL((url) => url.pathname === '/conversations', { timeout: 30_000 });
  });
  after(async () => {
    await chromiumBrowser?.close();
  });

  it('when a customer texts the business, then the conversation shows the message, the next one appears live, and a reply from the portal reaches Twilio', async () => {
    const customer = freshNumber();
    const res = await tenant.twilio.post(tenant.twilio.inboundSmsWebhook({ from: customer, to: tenant.twilioNumber, body: 'Can I move my booking to 5pm?' }));
    expect(res.status).to.equal(200);
    // The worker stores it a moment later; the list shows it once it is there.
    for (let i = 0; i < 40 && (await page.getByRole('link', { name: customer }).count()) === 0; i += 1) {
      await page.waitForTimeout(500);
      await page.reload({ waitUntil: 'networkidle' });
    }
    await page.screenshot({ path: join(ARTIFACTS, 'conversations.png'), fullPage: true });
    await page.getByRole('link', { name: customer }).click();
    await page.getByText('Can I move my booking to 5pm?').waitFor({ timeout: 15_000 });
    // Live: a new message shows up in the open thread without a reload.
    const next = await tenant.twilio.post(tenant.twilio.inboundSmsWebhook({ from: customer, to: tenant.twilioNumber, body: 'Or 6pm if that is easier' }));
    expect(next.status).to.equal(200);
    await page.getByText('Or 6pm if that is easier').waitFor({ timeout: 15_000 });
    await page.fill('textarea[name=body]', 'Yes, 5pm works. See you then!');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Sent to the queue.').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'conversation-thread.png'), fullPage: true });
    for (let i = 0; i < 40 && e2eFakes().twilio.countSends({ to: customer }) === 0; i += 1) await page.waitForTimeout(250);
    expect(e2eFakes().twilio.countSends({ to: customer, body: 'Yes, 5pm works. See you then!' })).to.equal(1);
  });

  it('when staff open the contact, then consent is shown per channel; an opt-out recorded there is in the history; calls and foreign ids behave', async () => {
    await page.goto(`${e2eStack().urls.portal}/contacts`, { waitUntil: 'networkidle' });
    await page.screenshot({ path: join(ARTIFACTS, 'contacts.png'), fullPage: true });
    await page.locator('table a').first().click();
    await page.getByRole('heading', { name: 'Consent per channel' }).waitFor({ timeout: 15_000 });
    await page.selectOption('select[name=channel]', 'sms');
    await page.getByRole('button', { name: 'Opt out' }).click();
    await page.getByText('Opt-out on sms recorded.').waitFor({ timeout: 15_000 });
    await page.reload({ waitUntil: 'networkidle' });
    expect(await page.locator('tr', { hasText: 'sms' }).first().textContent()).to.contain('Opted out');
    await page.screenshot({ path: join(ARTIFACTS, 'contact-detail.png'), fullPage: true });
    const missing = await page.goto(`${e2eStack().urls.portal}/contacts/00000000-0000-4000-8000-000000000000`, { waitUntil: 'networkidle' });
    expect(missing?.status()).to.equal(404);
    await page.goto(`${e2eStack().urls.portal}/calls`, { waitUntil: 'networkidle' });
    expect(await page.getByRole('heading', { name: 'Your call log' }).count()).to.equal(1);
    await page.screenshot({ path: join(ARTIFACTS, 'calls.png'), fullPage: true });
  });
});

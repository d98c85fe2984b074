import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser as Chromium, type Page } from 'playwright-core';
import { Sequelize } from 'sequelize';
import { createPerson } from '../../backend/test/support/identity-world.js';
import { e2eDatabaseAdminUrl, e2eStack } from './support/e2e-stack.js';
import { arrangeTenant } from './support/tenant-world.js';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');

/**
 * Linking WhatsApp from the Channels page: the portal streams the QR codes the worker's session produces
 * (WHATSAPP_SOCKET_MODULE = the fake WhatsApp network, whose phone scans the second code by itself).
 */
describe('portal WhatsApp linking (Chromium, native stack)', function () {
  this.timeout(120_000);
  let chromiumBrowser: Chromium;
  let page: Page;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const tenant = await arrangeTenant();
    const db = new Sequelize(e2eDatabaseAdminUrl(), { logging: false });
    let person: { email: string; password: string };
    try {
      const [[row]] = (await db.query('SELECT agency_id AS "agencyId" FROM tenants WHERE id = :id', { replacements: { id: tenant.tenantId } })) as [{ agencyId: string }[], unknown];
      person = await createPerson(db, [{ agencyId: row!.agencyId, tenantId: tenant.tenantId, role: 'tenant_admin' }]);
    } finally {
      await db.close();
    }
    chromiumBrowser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
    page = await (await chromiumBrowser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${e2eStack().urls.portal}/sign-in?next=/channels`, { waitUntil: 'networkidle' });
    await page.fill('input[name=email]', person.email);
    await page.fill('input[name=password]', person.password);
    await page.click('button[type=submit]');
    await page.waitForURL((url) => url.pathname === '/channels', { timeout: 15_000 });
  });
  after(async () => {
    await chromiumBrowser?.close();
  });

  it('when an admin links WhatsApp, then a QR code is shown live, and once the phone scans it the number shows as linked', async () => {
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'WhatsApp (your own number)' }) });
    expect(await card.getByText('Not linked').count()).to.equal(1);
    await card.getByRole('button', { name: 'Link WhatsApp' }).click();
    const qr = card.getByTestId('whatsapp-qr').locator('svg');
    await qr.waitFor({ timeout: 20_000 });
    expect(await qr.locator('path').count()).to.be.greaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'channels-whatsapp-qr.png'), fullPage: true });
    await card.getByText('+14155550100').waitFor({ timeout: 20_000 });
    expect(await card.getByText('Linked', { exact: true }).count()).to.equal(1);
    await page.reload({ waitUntil: 'networkidle' });
    expect(await card.getByText('Linked', { exact: true }).count(), 'the state is stored, not just streamed').to.equal(1);
    await page.screenshot({ path: join(ARTIFACTS, 'channels-whatsapp-linked.png'), fullPage: true });
  });

  it('when an admin rewrites the missed-call message, then it is saved as their wording (what the automation reads), and can go back to the default', async () => {
    const form = page.locator('form', { has: page.getByRole('heading', { name: /Missed call text-back/ }) });
    await form.getByLabel('Text').fill('Bright Smile here: sorry we missed you! Reply and we will call back.');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Saved. The automations use it from their next run.').waitFor();
    await page.reload({ waitUntil: 'networkidle' });
    expect(await form.getByText('Your wording').count()).to.equal(1);
    expect(await form.getByLabel('Text').inputValue()).to.equal('Bright Smile here: sorry we missed you! Reply and we will call back.');
    await form.getByRole('button', { name: 'Back to the default' }).click();
    await form.getByText('Back to the default wording.').waitFor();
    expect(await form.getByLabel('Text').inputValue()).to.match(/^Hi! Sorry we missed your call/);
  });
});

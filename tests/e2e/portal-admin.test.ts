import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser as Chromium, type Page } from 'playwright-core';
import { Sequelize } from 'sequelize';
import { Browser as ApiClient } from '../../backend/test/support/browser.js';
import { createPerson, createTenant } from '../../backend/test/support/identity-world.js';
import { e2eDatabaseAdminUrl, e2eFakes, e2eStack } from './support/e2e-stack.js';
import { freshNumber } from './support/tenant-world.js';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');

/**
 * The admin pages in a real Chromium against the native stack. The session is made through the API
 * (the sign-in page is tested on its own) and handed to the browser as the portal's cookies.
 */
describe('portal admin pages (Chromium, native stack)', function () {
  this.timeout(120_000);
  let chromiumBrowser: Chromium;
  let page: Page;
  let tenantName: string;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const db = new Sequelize(e2eDatabaseAdminUrl(), { logging: false });
    let email: string;
    let password: string;
    try {
      const [[agency]] = (await db.query('SELECT id FROM agencies ORDER BY created_at LIMIT 1')) as [{ id: string }[], unknown];
      const tenantId = await createTenant(db, agency!.id);
      const [[tenant]] = (await db.query('SELECT name FROM tenants WHERE id = :tenantId', { replacements: { tenantId } })) as [{ name: string }[], unknown];
      tenantName = tenant!.name;
      ({ email, password } = await createPerson(db, [{ agencyId: agency!.id, tenantId: null, role: 'agency_owner' }]) as { email: string; password: string });
    } finally {
      await db.close();
    }
    const { urls } = e2eStack();
    const api = new ApiClient(urls.api);
    const login = await api.signIn(email, password);
    expect(login.status, JSON.stringify(login.body)).to.equal(200);

    chromiumBrowser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
    const context = await chromiumBrowser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies(
      ['sb_session', 'sb_csrf'].map((name) => ({ name, value: encodeURIComponent(api.cookies.get(name)!), url: urls.portal!, httpOnly: true })),
    );
    page = await context.newPage();
  });
  after(async () => {
    await chromiumBrowser?.close();
  });

  const visit = (path: string) => page.goto(`${e2eStack().urls.portal}${path}`, { waitUntil: 'networkidle' });
  const shoot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  it("when agency staff open a tenant from the agency page, then the audit log page shows that it was opened", async () => {
    await visit('/agency');
    const row = page.locator('li', { has: page.getByRole('heading', { name: tenantName }) });
    await expect(await row.getByText('Messages today').count()).to.equal(1);
    await shoot('agency');
    await page.setViewportSize({ width: 390, height: 844 });
    await shoot('agency-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    await row.getByRole('button', { name: 'Open as tenant' }).click();
    // Acting as the tenant lands on its Home, with the way back to agency level on the page.
    await page.waitForURL((url) => url.pathname === '/home');
    expect(await page.getByRole('button', { name: 'Back to agency' }).or(page.getByRole('link', { name: 'Back to agency' })).count()).to.be.greaterThan(0);

    await visit('/audit?action=auth.act_as_tenant.started');
    const entries = page.getByRole('region', { name: 'Audit entries' });
    expect(await entries.getByText('auth.act_as_tenant.started').count()).to.be.greaterThan(0);
    expect(await entries.getByText('acting as tenant').count()).to.be.greaterThan(0);
    await shoot('audit');

    const csv = await page.request.get(`${e2eStack().urls.portal}/audit/export?format=csv&action=auth.act_as_tenant.started`);
    expect(csv.status()).to.equal(200);
    expect(csv.headers()['content-disposition']).to.match(/^attachment; filename="audit-.*\.csv"$/);
    expect(await csv.text()).to.contain('auth.act_as_tenant.started');
  });

  it('when staff invite and revoke on the team page, then the pending list follows; channel settings are shown', async () => {
    await visit('/team');
    expect(await page.getByRole('heading', { name: 'People with access' }).count()).to.equal(1);
    const invitee = `invitee-${Date.now()}@example.test`;
    await page.getByLabel('Email').fill(invitee);
    await page.getByRole('button', { name: 'Send invitation' }).click();
    // No mail server in the e2e stack: the link is shown to the inviter, never "Invitation sent".
    await page.getByText(`E-mail is not configured on this server, so no invitation was sent. Copy this link and send it to ${invitee} yourself.`).waitFor();
    expect(await page.getByLabel('Invitation link').inputValue()).to.match(new RegExp(`^${e2eStack().urls.portal}/invitations/accept\\?token=`));
    await page.getByRole('button', { name: `Revoke the invitation for ${invitee}` }).waitFor();
    await shoot('team');
    await page.getByRole('button', { name: `Revoke the invitation for ${invitee}` }).click();
    await page.getByRole('button', { name: `Revoke the invitation for ${invitee}` }).waitFor({ state: 'detached' });
    await visit('/channels');
    expect(await page.getByRole('heading', { name: 'SMS and calls (Twilio)' }).count()).to.equal(1);
    expect(await page.getByLabel('From').inputValue()).to.match(/^\d\d:\d\d$/);
    expect(await page.getByRole('heading', { name: 'Telegram bot' }).count()).to.equal(1);
    await page.getByLabel('Bot token').fill('not-a-token');
    await page.getByRole('button', { name: 'Connect bot' }).click();
    await page.getByText('Paste the token @BotFather gave you').waitFor();
    const number = freshNumber();
    const account = e2eFakes().twilio.addAccount({ numbers: [number] });
    await page.getByLabel('Account SID').fill(account.sid);
    await page.getByLabel('Auth Token').fill(account.authToken);
    await page.getByRole('button', { name: 'Verify with Twilio' }).click();
    await page.getByText('Choose the number to use (1 found).').waitFor();
    await page.getByRole('button', { name: 'Use this number' }).click();
    await page.getByText(`${number} is set up`).waitFor();
    await page.getByLabel('From').fill('08:30');
    await page.getByLabel('Reply to HELP').fill('Call us on +1 312 555 0100.');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Messaging settings saved.').waitFor();
    await visit('/channels');
    expect(await page.getByLabel('From').inputValue()).to.equal('08:30');
    expect(await page.getByLabel('Reply to HELP').inputValue()).to.equal('Call us on +1 312 555 0100.');
    await shoot('channels');
  });
});

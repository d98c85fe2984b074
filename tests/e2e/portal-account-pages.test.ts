import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser as Chromium, type Page } from 'playwright-core';
import { Sequelize } from 'sequelize';
import { Browser as ApiClient } from '../../backend/test/support/browser.js';
import { createPerson } from '../../backend/test/support/identity-world.js';
import { e2eDatabaseAdminUrl, e2eStack } from './support/e2e-stack.js';
import { arrangeTenant } from './support/tenant-world.js';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');

/** The pages people reach from e-mails: accepting an invitation, forgetting and resetting a password. */
describe('portal account pages (Chromium, native stack)', function () {
  this.timeout(120_000);
  let chromiumBrowser: Chromium;
  let page: Page;
  let admin: ApiClient;

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
    admin = new ApiClient(e2eStack().urls.api);
    expect((await admin.signIn(person.email, person.password)).status).to.equal(200);
    chromiumBrowser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
    page = await (await chromiumBrowser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  });
  after(async () => {
    await chromiumBrowser?.close();
  });

  it('when someone opens their invitation link, then they see what they are invited to, choose a password and land signed in', async () => {
    const email = `invitee-${Date.now()}@example.test`;
    const invited = await admin.post('/api/v1/invitations', { email, role: 'tenant_member' });
    expect(invited.status, JSON.stringify(invited.body)).to.equal(201);
    const token = new URL(invited.body.acceptUrl as string).searchParams.get('token')!;
    await page.goto(`${e2eStack().urls.portal}/invitations/accept?token=${encodeURIComponent(token)}`, { waitUntil: 'networkidle' });
    await page.screenshot({ path: join(ARTIFACTS, 'invitation-accept.png'), fullPage: true });
    expect(await page.getByText(email).count()).to.equal(1);
    await page.fill('input[name=name]', 'Ingrid Invitee');
    await page.fill('input[name=password]', 'short');
    await page.getByRole('button', { name: 'Accept and sign in' }).click();
    await page.getByText('Choose a password of at least 12 characters.').waitFor();
    await page.fill('input[name=password]', 'a long enough password 42');
    await page.getByRole('button', { name: 'Accept and sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/home', { timeout: 15_000 });
    expect(await page.getByText('Ingrid Invitee').count()).to.be.greaterThan(0);

    await page.goto(`${e2eStack().urls.portal}/invitations/accept?token=${encodeURIComponent(token)}`, { waitUntil: 'networkidle' });
    expect(await page.getByText('already used, revoked or has expired').count(), 'a used link says so').to.equal(1);
  });

  it('when an admin exports and then erases a contact, then the file has their data and the page shows them erased', async () => {
    const contact = await admin.post('/api/v1/contacts', { phone: `+1312555${String(Date.now()).slice(-4)}`, name: 'Gina GDPR', email: 'gina@example.test' });
    expect(contact.status, JSON.stringify(contact.body)).to.equal(201);
    const context = await chromiumBrowser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await context.addCookies(['sb_session', 'sb_csrf'].map((name) => ({ name, value: encodeURIComponent(admin.cookies.get(name)!), url: e2eStack().urls.portal!, httpOnly: true })));
    const tab = await context.newPage();
    await tab.goto(`${e2eStack().urls.portal}/contacts/${contact.body.id}`, { waitUntil: 'networkidle' });
    const [download] = await Promise.all([tab.waitForEvent('download'), tab.getByRole('link', { name: 'Export their data (JSON)' }).click()]);
    const file = JSON.parse(await (await import('node:fs/promises')).readFile((await download.path())!, 'utf8')) as { contact: { name: string; email: string } };
    expect(file.contact).to.include({ name: 'Gina GDPR', email: 'gina@example.test' });
    await tab.getByText('Erase this contact…').click();
    await tab.getByLabel('Type ERASE to confirm').fill('erase');
    await tab.getByRole('button', { name: 'Erase permanently' }).click();
    await tab.getByText('Type ERASE in capitals to confirm.').waitFor();
    await tab.getByLabel('Type ERASE to confirm').fill('ERASE');
    await tab.getByRole('button', { name: 'Erase permanently' }).click();
    await tab.getByText('This contact’s personal data was erased.').waitFor({ timeout: 15_000 });
    expect(await tab.getByRole('heading', { name: 'Gina GDPR' }).count()).to.equal(0);
    await tab.screenshot({ path: join(ARTIFACTS, 'contact-erased.png'), fullPage: true });
    await context.close();
  });

  it('when someone forgot their password, then the sign-in page leads to the reset request, and a stale reset link says so', async () => {
    const context = await chromiumBrowser.newContext({ viewport: { width: 390, height: 844 } });
    const phone = await context.newPage();
    await phone.goto(`${e2eStack().urls.portal}/sign-in`, { waitUntil: 'networkidle' });
    expect(await phone.getByRole('link', { name: 'Sign in with Google' }).count(), 'Google is not configured in this stack').to.equal(0);
    await phone.getByRole('link', { name: 'Forgot your password?' }).click();
    await phone.waitForURL((url) => url.pathname === '/forgot-password');
    await phone.fill('input[name=email]', 'nobody-in-particular@example.test');
    await phone.getByRole('button', { name: 'Send the link' }).click();
    await phone.getByText('If nobody-in-particular@example.test has an account, a reset link is on its way.').waitFor();
    await phone.screenshot({ path: join(ARTIFACTS, 'forgot-password-phone.png'), fullPage: true });
    await phone.goto(`${e2eStack().urls.portal}/reset-password?token=${'x'.repeat(43)}`, { waitUntil: 'networkidle' });
    await phone.fill('input[name=password]', 'a brand new password 7');
    await phone.fill('input[name=repeat]', 'a brand new password 7');
    await phone.getByRole('button', { name: 'Save the new password' }).click();
    await phone.getByText('This reset link was already used or has expired.').waitFor();
    await context.close();
  });
});

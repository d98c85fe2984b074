import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser as Chromium, type BrowserContext, type Page } from 'playwright-core';
import { Sequelize } from 'sequelize';
import { Browser as ApiClient } from '../../backend/test/support/browser.js';
import { createPerson, createTenant } from '../../backend/test/support/identity-world.js';
import { e2eDatabaseAdminUrl, e2eStack } from './support/e2e-stack.js';
import { arrangeTenant, freshNumber } from './support/tenant-world.js';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');

/** The pages people reach from e-mails (accepting an invitation, resetting a password) and a contact's GDPR export and erasure. */
describe('portal account pages (Chromium, native stack)', function () {
  this.timeout(120_000);
  let chromiumBrowser: Chromium;
  let page: Page;
  let admin: ApiClient;
  let member: ApiClient;
  let agencyId: string;
  let tenantId: string;

  /** A browser context holding the portal's copies of an API session (as the other portal tests do). */
  async function signedInContext(client: ApiClient, options: { acceptDownloads?: boolean } = {}): Promise<BrowserContext> {
    const context = await chromiumBrowser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
    await context.addCookies(['sb_session', 'sb_csrf'].map((name) => ({ name, value: encodeURIComponent(client.cookies.get(name)!), url: e2eStack().urls.portal!, httpOnly: true })));
    return context;
  }

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const tenant = await arrangeTenant();
    const db = new Sequelize(e2eDatabaseAdminUrl(), { logging: false });
    let person: { email: string; password: string };
    let teamMember: { email: string; password: string };
    try {
      const [[row]] = (await db.query('SELECT agency_id AS "agencyId" FROM tenants WHERE id = :id', { replacements: { id: tenant.tenantId } })) as [{ agencyId: string }[], unknown];
      ({ agencyId } = row!);
      tenantId = tenant.tenantId;
      person = await createPerson(db, [{ agencyId: row!.agencyId, tenantId: tenant.tenantId, role: 'tenant_admin' }]);
      teamMember = await createPerson(db, [{ agencyId: row!.agencyId, tenantId: tenant.tenantId, role: 'tenant_member' }]);
    } finally {
      await db.close();
    }
    admin = new ApiClient(e2eStack().urls.api);
    expect((await admin.signIn(person.email, person.password)).status).to.equal(200);
    member = new ApiClient(e2eStack().urls.api);
    expect((await member.signIn(teamMember.email, teamMember.password)).status).to.equal(200);
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

  it('when someone who already has an account accepts, then a wrong password leaves the invitation usable and the right one lands them in the inviting business', async () => {
    const db = new Sequelize(e2eDatabaseAdminUrl(), { logging: false });
    let existing: { email: string; password: string };
    try {
      existing = await createPerson(db, [{ agencyId, tenantId: await createTenant(db, agencyId), role: 'tenant_admin' }]);
    } finally {
      await db.close();
    }
    const invited = await admin.post('/api/v1/invitations', { email: existing.email, role: 'tenant_member' });
    expect(invited.status, JSON.stringify(invited.body)).to.equal(201);
    const token = new URL(invited.body.acceptUrl as string).searchParams.get('token')!;
    const context = await chromiumBrowser.newContext({ viewport: { width: 390, height: 844 } });
    const tab = await context.newPage();
    await tab.goto(`${e2eStack().urls.portal}/invitations/accept?token=${encodeURIComponent(token)}`, { waitUntil: 'networkidle' });
    await tab.getByText('You already have an account').waitFor();
    await tab.fill('input[name=password]', 'not my password at all');
    await tab.getByRole('button', { name: 'Accept and sign in' }).click();
    await tab.getByText('That password does not match your account.').waitFor();
    await tab.fill('input[name=password]', existing.password);
    await tab.getByRole('button', { name: 'Accept and sign in' }).click();
    await tab.waitForURL((url) => url.pathname === '/home', { timeout: 15_000 });
    const session = (await context.cookies()).find((cookie) => cookie.name === 'sb_session')!;
    const me = await fetch(`${e2eStack().urls.api}/api/v1/auth/me`, { headers: { cookie: `sb_session=${session.value}` } });
    expect(await me.json(), 'acting in the business that invited them').to.include({ tenantId, role: 'tenant_member' });
    await context.close();
  });

  it('when an admin exports and then erases a contact, then the file has their data, the typed name guards the erasure and their opt-out still holds', async () => {
    const phone = freshNumber();
    const contact = await admin.post('/api/v1/contacts', { phone, name: 'Gina GDPR', email: 'gina@example.test' });
    expect(contact.status, JSON.stringify(contact.body)).to.equal(201);
    const optOut = await admin.post(`/api/v1/contacts/${contact.body.id}/consent`, { channel: 'sms', kind: 'opt_out', source: 'manual' });
    expect(optOut.status, JSON.stringify(optOut.body)).to.equal(201);
    const context = await signedInContext(admin, { acceptDownloads: true });
    const tab = await context.newPage();
    await tab.goto(`${e2eStack().urls.portal}/contacts/${contact.body.id}`, { waitUntil: 'networkidle' });

    const [download] = await Promise.all([tab.waitForEvent('download'), tab.getByRole('link', { name: 'Export data (JSON)' }).click()]);
    expect(download.suggestedFilename()).to.equal(`contact-${contact.body.id}.json`);
    const file = JSON.parse(await readFile((await download.path())!, 'utf8')) as { contact: { name: string; email: string }; consent: { kind: string }[] };
    expect(file.contact).to.include({ name: 'Gina GDPR', email: 'gina@example.test' });
    expect(file.consent.map((c) => c.kind)).to.deep.equal(['opt_out']);

    await tab.getByRole('button', { name: 'Erase contact…' }).click();
    const dialog = tab.getByRole('dialog', { name: 'Erase Gina GDPR?' });
    await dialog.getByLabel('Type Gina GDPR to confirm').fill('Gina');
    await dialog.getByRole('button', { name: 'Erase permanently' }).click();
    await dialog.getByText('Type “Gina GDPR” exactly as shown to confirm.').waitFor();
    await tab.screenshot({ path: join(ARTIFACTS, 'contact-erase-dialog.png'), fullPage: true });
    await dialog.getByLabel('Type Gina GDPR to confirm').fill('gina gdpr');
    await dialog.getByRole('button', { name: 'Erase permanently' }).click();
    await tab.getByText('This contact’s personal data was erased.').waitFor({ timeout: 15_000 });
    expect(await tab.getByRole('heading', { name: 'Erased contact' }).count()).to.equal(1);
    expect(await tab.getByText('Gina GDPR').count(), 'the name is nowhere on the page').to.equal(0);
    await tab.screenshot({ path: join(ARTIFACTS, 'contact-erased.png'), fullPage: true });
    await context.close();

    const later = await admin.post('/api/v1/messages', { to: phone, channel: 'sms', body: 'We miss you, Gina!' });
    expect(later.status, JSON.stringify(later.body)).to.equal(201);
    expect(later.body.policy.reason.code, 'the opt-out outlives the erasure').to.equal('OPTED_OUT');
  });

  it('when a team member opens a contact, then export and erasure are not offered to them', async () => {
    const contact = await admin.post('/api/v1/contacts', { phone: freshNumber(), name: 'Mona Member-View' });
    expect(contact.status, JSON.stringify(contact.body)).to.equal(201);
    const context = await signedInContext(member);
    const tab = await context.newPage();
    await tab.goto(`${e2eStack().urls.portal}/contacts/${contact.body.id}`, { waitUntil: 'networkidle' });
    expect(await tab.getByRole('heading', { name: 'Mona Member-View' }).count()).to.equal(1);
    expect(await tab.getByRole('link', { name: 'Export data (JSON)' }).count()).to.equal(0);
    expect(await tab.getByRole('button', { name: 'Erase contact…' }).count()).to.equal(0);
    const direct = await tab.request.get(`${e2eStack().urls.portal}/contacts/${contact.body.id}/export`);
    expect(direct.status(), 'the download route refuses them too').to.equal(403);
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
    // This stack has no mail server: the page says so instead of pretending a link is on its way.
    await phone.getByText('This server cannot send e-mail (no mail server is set up), so no reset link was sent.', { exact: false }).waitFor();
    await phone.screenshot({ path: join(ARTIFACTS, 'forgot-password-phone.png'), fullPage: true });
    await phone.goto(`${e2eStack().urls.portal}/reset-password?token=${'x'.repeat(43)}`, { waitUntil: 'networkidle' });
    await phone.fill('input[name=password]', 'a brand new password 7');
    await phone.fill('input[name=repeat]', 'a brand new password 7');
    await phone.getByRole('button', { name: 'Save the new password' }).click();
    await phone.getByText('This reset link was already used or has expired.').waitFor();
    await context.close();
  });
});

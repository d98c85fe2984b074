import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser as Chromium, type Page } from 'playwright-core';
import { Sequelize } from 'sequelize';
import { createPerson, createTenant } from '../../backend/test/support/identity-world.js';
import { e2eDatabaseAdminUrl, e2eStack } from './support/e2e-stack.js';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');

/** Signing in and out through the portal's own pages in Chromium: the session lives in the portal's cookies. */
describe('portal sign-in (Chromium, native stack)', function () {
  this.timeout(120_000);
  let chromiumBrowser: Chromium;
  let page: Page;
  let person: { email: string; password: string };
  let otherTenantName: string;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const db = new Sequelize(e2eDatabaseAdminUrl(), { logging: false });
    try {
      const [[agency]] = (await db.query('SELECT id FROM agencies ORDER BY created_at LIMIT 1')) as [{ id: string }[], unknown];
      const tenantId = await createTenant(db, agency!.id);
      const otherId = await createTenant(db, agency!.id);
      const [[other]] = (await db.query('SELECT name FROM tenants WHERE id = :otherId', { replacements: { otherId } })) as [{ name: string }[], unknown];
      otherTenantName = other!.name;
      person = await createPerson(db, [{ agencyId: agency!.id, tenantId, role: 'tenant_admin' }]);
    } finally {
      await db.close();
    }
    chromiumBrowser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
    page = await (await chromiumBrowser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  });
  after(async () => {
    await chromiumBrowser?.close();
  });

  const portal = (path: string) => `${e2eStack().urls.portal}${path}`;
  const signIn = async (password: string) => {
    await page.fill('input[name=email]', person.email);
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
  };

  it('when a signed-out person opens a page, then the sign-in page; a wrong password says so; the right one opens the page asked for', async () => {
    await page.goto(portal('/channels'), { waitUntil: 'networkidle' });
    expect(new URL(page.url()).pathname).to.equal('/sign-in');
    await signIn('not the password');
    await page.getByText('Email or password is incorrect.').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'sign-in-error.png'), fullPage: true });
    await signIn(person.password);
    await page.waitForURL(portal('/channels'), { timeout: 15_000 });
    await page.goto(portal('/home'), { waitUntil: 'networkidle' });
    expect(await page.getByRole('heading', { name: 'How your follow-ups are doing' }).count()).to.equal(1);
    await page.screenshot({ path: join(ARTIFACTS, 'home.png'), fullPage: true });
    await page.goto(portal('/channels'), { waitUntil: 'networkidle' });
    await page.screenshot({ path: join(ARTIFACTS, 'channels-after-sign-in.png'), fullPage: true });
    expect(await page.getByRole('heading', { name: 'How you reach your customers' }).count()).to.equal(1);
    expect(await page.getByRole('button', { name: 'Sign out', exact: true }).count()).to.equal(1);
  });

  it("when a tenant user looks at the agency page, then another tenant's name appears nowhere", async () => {
    await page.goto(portal('/agency'), { waitUntil: 'networkidle' });
    expect(await page.content()).not.to.contain(otherTenantName);
  });

  it('when they sign out, then pages need signing in again', async () => {
    await page.goto(portal('/channels'), { waitUntil: 'networkidle' });
    await Promise.all([page.waitForURL(/\/sign-in/), page.getByRole('button', { name: 'Sign out', exact: true }).click()]);
    await page.goto(portal('/team'), { waitUntil: 'networkidle' });
    expect(new URL(page.url()).pathname).to.equal('/sign-in');
  });
});

import { chromium, type Browser as Chromium, type Page } from 'playwright-core';
import { Sequelize } from 'sequelize';
import { createPerson } from '../../../backend/test/support/identity-world.js';
import { e2eDatabaseAdminUrl, e2eStack } from './e2e-stack.js';

/** A person of the tenant with `role`, signed in to the portal in a fresh Chromium at `width` px. */
export async function signedInPage(tenantId: string, role: 'tenant_owner' | 'tenant_admin' | 'tenant_member', width = 1280): Promise<{ chromium: Chromium; page: Page }> {
  const db = new Sequelize(e2eDatabaseAdminUrl(), { logging: false });
  let person: { email: string; password: string };
  try {
    const [[row]] = (await db.query('SELECT agency_id AS "agencyId" FROM tenants WHERE id = :id', { replacements: { id: tenantId } })) as [{ agencyId: string }[], unknown];
    person = await createPerson(db, [{ agencyId: row!.agencyId, tenantId, role }]);
  } finally {
    await db.close();
  }
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
  // The path itself: "/sign-in?next=/home" also ends in "/home". One retry for a sign-in that timed out on a busy machine.
  for (let attempt = 1; ; attempt += 1) {
    await page.goto(`${e2eStack().urls.portal}/sign-in?next=/home`, { waitUntil: 'networkidle' });
    await page.fill('input[name=email]', person.email);
    await page.fill('input[name=password]', person.password);
    await page.click('button[type=submit]');
    try {
      await page.waitForURL((url) => url.pathname === '/home', { timeout: 30_000 });
      break;
    } catch (err) {
      if (attempt >= 2) throw err;
    }
  }
  return { chromium: browser, page };
}

/** The page fits the viewport: nothing scrolls sideways (issue 12: phone width). */
export async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
}

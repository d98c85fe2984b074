import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser as Chromium, type Page } from 'playwright-core';
import { Sequelize } from 'sequelize';
import { createPerson } from '../../backend/test/support/identity-world.js';
import { e2eDatabaseAdminUrl, e2eFakes, e2eStack } from './support/e2e-stack.js';
import { arrangeTenant, type E2eTenant } from './support/tenant-world.js';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');

/**
 * A business sets up its AI agent in the portal and tries it: the test chat goes through the public web
 * chat API, the real worker's agent runtime and the fake OpenAI-compatible model; the facts typed in the
 * portal reach the model's system prompt.
 */
describe('portal agents (Chromium, native stack)', function () {
  this.timeout(120_000);
  let chromiumBrowser: Chromium;
  let page: Page;
  let tenant: E2eTenant;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tenant = await arrangeTenant();
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
    await page.goto(`${e2eStack().urls.portal}/sign-in?next=/agents`, { waitUntil: 'networkidle' });
    await page.fill('input[name=email]', person.email);
    await page.fill('input[name=password]', person.password);
    await page.click('button[type=submit]');
    await page.waitForURL((url) => url.pathname === '/agents', { timeout: 15_000 });
  });
  after(async () => {
    e2eFakes().openai.reset();
    await chromiumBrowser?.close();
  });

  it('when an admin creates an agent, publishes its facts and asks it a question, then the reply comes from the model that was given those facts', async () => {
    await page.getByRole('heading', { name: 'Create your first agent' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'agents-empty.png'), fullPage: true });
    await page.fill('input[name=name]', 'Ava');
    await page.fill('input[name=purpose]', 'Answer questions and book cleanings');
    await page.getByRole('button', { name: 'Create agent' }).click();
    await page.getByText('Nothing published yet').first().waitFor({ timeout: 15_000 });

    await page.fill('input[name=businessName]', 'Bright Smile Dental');
    await page.fill('textarea[name=prices]', 'Teeth cleaning: $90');
    await page.fill('textarea[name=faq]', 'Do you take walk-ins? No, appointments only.');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Version 1 is live.').waitFor({ timeout: 15_000 });

    const fake = e2eFakes().openai;
    fake.reset();
    fake.respondTo({ when: (req) => String(req.messages[0]?.content ?? '').includes('Teeth cleaning: $90') }, { reply: 'A teeth cleaning is $90. Would you like to book one?' });
    await page.fill('input[name=message]', 'How much is a cleaning?');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const reply = page.locator('.chat li.business', { hasText: 'A teeth cleaning is $90' });
    await reply.waitFor({ timeout: 20_000 });
    expect(fake.completions.at(-1)!.messages.at(-1)).to.deep.include({ role: 'user', content: 'How much is a cleaning?' });
    await page.reload({ waitUntil: 'networkidle' });
    expect(await page.getByRole('cell', { name: 'Replied' }).count()).to.equal(1);
    expect(await page.locator('pre code').textContent()).to.match(/widget\.js" data-key="wk_/);
    await page.screenshot({ path: join(ARTIFACTS, 'agents.png'), fullPage: true });
  });
});

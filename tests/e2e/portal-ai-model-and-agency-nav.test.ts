import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser as Chromium, type Page } from 'playwright-core';
import { Sequelize } from 'sequelize';
import { createPerson, createTenant } from '../../backend/test/support/identity-world.js';
import { e2eDatabaseAdminUrl, e2eFakes, e2eStack } from './support/e2e-stack.js';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');
// This agency's own model name: the shared fake OpenAI answers it as scripted here, nobody else's.
const MODEL = 'h5-agency-model';

type Person = { email: string; password: string };

/**
 * Issue 12 items 5 and 6, as agency staff walk them in the portal: set up the AI model and test it; an
 * agent cannot be switched on while the model refuses, can once it answers, and the test chat shows a
 * failed turn at once; "Open as tenant" lands on the business's Home with a "Back to agency" banner on
 * every page; the agency's Team page lists agency staff only; the header fits a 390 px phone.
 */
describe('portal: AI model settings and agency staff navigation (Chromium, native stack)', function () {
  this.timeout(180_000);
  let browser: Chromium;
  let page: Page;
  let owner: Person;
  let operator: Person;
  let tenantPerson: Person;
  const businessName = `Bright Smile ${Date.now().toString(36)}`;
  const portal = () => e2eStack().urls.portal!;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const db = new Sequelize(e2eDatabaseAdminUrl(), { logging: false });
    try {
      // An agency of its own: its AI model must not change what other tests' agencies use.
      const [[agency]] = (await db.query(`INSERT INTO agencies (name) VALUES ('H5 Agency') RETURNING id`)) as [{ id: string }[], unknown];
      const tenantId = await createTenant(db, agency!.id);
      await db.query('UPDATE tenants SET name = :name WHERE id = :id', { replacements: { name: businessName, id: tenantId } });
      owner = await createPerson(db, [{ agencyId: agency!.id, tenantId: null, role: 'agency_owner' }]);
      operator = await createPerson(db, [{ agencyId: agency!.id, tenantId: null, role: 'agency_operator' }]);
      tenantPerson = await createPerson(db, [{ agencyId: agency!.id, tenantId, role: 'tenant_admin' }]);
    } finally {
      await db.close();
    }
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${portal()}/sign-in?next=/home`, { waitUntil: 'networkidle' });
    await page.fill('input[name=email]', owner.email);
    await page.fill('input[name=password]', owner.password);
    await page.click('button[type=submit]');
    // Agency staff at agency level have no business Home: they land on their client businesses.
    await page.waitForURL((url) => url.pathname === '/agency', { timeout: 15_000 });
  });
  after(async () => {
    e2eFakes().openai.reset();
    await browser?.close();
  });

  async function saveModel(apiKey: string) {
    await page.goto(`${portal()}/ai-model`, { waitUntil: 'networkidle' });
    await page.getByLabel('API base URL').fill(e2eFakes().openai.baseUrl);
    await page.getByLabel('API key').fill(apiKey);
    await page.getByLabel('Model', { exact: true }).fill(MODEL);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved. Press “Test”').waitFor();
  }

  async function openAsTenant() {
    await page.goto(`${portal()}/agency`, { waitUntil: 'networkidle' });
    await page.getByRole('listitem').filter({ hasText: businessName }).getByRole('button', { name: 'Open as tenant' }).click();
    await page.waitForURL((url) => url.pathname === '/home', { timeout: 15_000 });
    await page.getByRole('region', { name: 'Acting as a client business' }).getByText(businessName).waitFor();
  }

  async function backToAgency() {
    await page.getByRole('button', { name: 'Back to agency' }).click();
    await page.waitForURL((url) => url.pathname === '/agency', { timeout: 15_000 });
    expect(await page.getByRole('region', { name: 'Acting as a client business' }).count()).to.equal(0);
  }

  it('when the agency sets up a model with a wrong key, then Test shows the provider error and the agent cannot be switched on; fixed and tested, it can, and a failed turn shows in the test chat', async () => {
    await page.goto(`${portal()}/ai-model`, { waitUntil: 'networkidle' });
    await page.getByText('the installation default').waitFor();
    await saveModel('sk-wrong-key-for-the-fake');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'The test failed.' }).filter({ hasText: 'refused the API key' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'ai-model-test-failed.png'), fullPage: true });

    await openAsTenant();
    await page.getByRole('link', { name: 'Agents' }).click();
    await page.getByRole('heading', { name: 'Create your first agent' }).waitFor();
    await page.fill('input[name=name]', 'Ava');
    await page.getByRole('button', { name: 'Create agent' }).click();
    await page.getByText('Created, but switched off').waitFor({ timeout: 15_000 });
    await page.fill('input[name=businessName]', businessName);
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Version 1 is live.').waitFor({ timeout: 15_000 });
    await page.getByLabel('Agent is on').check();
    await page.getByRole('button', { name: 'Save', exact: true }).first().click();
    const refused = page.getByRole('alert').filter({ hasText: 'cannot be switched on' });
    await refused.waitFor({ timeout: 15_000 });
    expect(await refused.getByRole('link', { name: 'Set up the AI model' }).getAttribute('href')).to.equal('/ai-model');
    await page.screenshot({ path: join(ARTIFACTS, 'agent-switch-on-refused.png'), fullPage: true });
    await backToAgency();

    await saveModel(e2eFakes().openai.apiKeys.values().next().value!);
    e2eFakes().openai.respondTo({ model: MODEL }, { reply: 'Hello! The connection works.' });
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'The model answered' }).filter({ hasText: 'Hello! The connection works.' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'ai-model-tested.png'), fullPage: true });

    await openAsTenant();
    await page.goto(`${portal()}/agents`, { waitUntil: 'networkidle' });
    await page.getByLabel('Agent is on').check();
    await page.getByRole('button', { name: 'Save', exact: true }).first().click();
    await page.getByText('Saved. The agent answers on the channels ticked.').waitFor({ timeout: 15_000 });

    // The provider starts refusing: the turn fails, and the test chat says so instead of typing forever.
    e2eFakes().openai.respondTo({ model: MODEL }, { error: { status: 401, message: 'Incorrect API key provided' } });
    await page.fill('input[name=message]', 'Are you open on Saturday?');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const failure = page.getByRole('alert').filter({ hasText: 'The AI model could not answer' });
    await failure.waitFor({ timeout: 30_000 });
    expect(await failure.textContent()).to.match(/refused the API key/);
    expect(await page.getByText('Ava is typing…').count()).to.equal(0);
    await page.screenshot({ path: join(ARTIFACTS, 'test-chat-failure.png'), fullPage: true });
    await backToAgency();
  });

  it('when agency staff open the Team page at agency level, then only agency staff are listed and a role change saves', async () => {
    await page.goto(`${portal()}/team`, { waitUntil: 'networkidle' });
    const rows = page.locator('tbody tr');
    const text = (await rows.allTextContents()).join('\n');
    expect(text).to.include(owner.email).and.include(operator.email);
    expect(text, 'client-business users are not agency staff').not.to.include(tenantPerson.email);
    const row = rows.filter({ hasText: operator.email });
    const role = row.getByRole('combobox');
    expect(await role.inputValue()).to.equal('agency_operator');
    await role.selectOption('agency_owner');
    await row.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Role changed.').waitFor({ timeout: 15_000 });
    await page.reload({ waitUntil: 'networkidle' });
    expect(await page.locator('tbody tr').filter({ hasText: operator.email }).getByRole('combobox').inputValue()).to.equal('agency_owner');
  });

  it('when the portal is used on a 390 px phone, then the header and its menu fit, inside a business as at agency level', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/agency', '/ai-model', '/team']) {
      await page.goto(`${portal()}${path}`, { waitUntil: 'networkidle' });
      await expectHeaderFits(page, path);
    }
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Client businesses' }).click();
    await page.waitForURL((url) => url.pathname === '/agency');
    await openAsTenant();
    await expectHeaderFits(page, '/home (acting)');
    await page.screenshot({ path: join(ARTIFACTS, 'acting-home-390.png'), fullPage: false });
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Calls' }).click();
    await page.waitForURL((url) => url.pathname === '/calls');
    await expectHeaderFits(page, '/calls (acting)');
    await backToAgency();
  });
});

/** Every element of the site header and the portal's bar lies inside the 390 px viewport. */
async function expectHeaderFits(page: Page, label: string): Promise<void> {
  const outside = await page.evaluate(() => {
    const width = window.innerWidth;
    const parts = [...document.querySelectorAll('.site-header *, .app-bar > *, .app-bar button')];
    return parts
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && (box.right > width + 0.5 || box.left < -0.5))
      .map(({ el, box }) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(box.left)}-${Math.round(box.right)}`);
  });
  expect(outside, `${label}: header parts outside the viewport`).to.deep.equal([]);
  const menu = page.getByRole('button', { name: 'Menu' });
  expect(await menu.isVisible(), `${label}: the compact menu button`).to.equal(true);
}

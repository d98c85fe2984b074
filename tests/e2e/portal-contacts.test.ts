import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser as Chromium, Page } from 'playwright-core';
import { e2eStack } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { horizontalOverflow, signedInPage } from './support/portal-session.js';
import { arrangeTenant, freshNumber, type E2eTenant } from './support/tenant-world.js';

const ARTIFACTS = join(import.meta.dirname, 'artifacts', 'contacts');

/** Issue 12: add a contact, notes and the activity timeline on the contact page, who the contact is on a conversation. */
describe('portal contacts (Chromium, native stack)', function () {
  this.timeout(180_000);
  let tenant: E2eTenant;
  let chromium: Chromium;
  let page: Page;
  const phone = freshNumber();
  let contactId = '';
  let conversationId = '';
  const portal = () => e2eStack().urls.portal!;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tenant = await arrangeTenant();
    ({ chromium, page } = await signedInPage(tenant.tenantId, 'tenant_admin'));
  });
  after(async () => {
    await chromium?.close();
  });
  afterEach(async function () {
    // What the page showed when a step failed (the run's logs say why).
    if (this.currentTest?.state === 'failed') await page?.screenshot({ path: join(ARTIFACTS, `failed-${this.currentTest.title.slice(5, 40).replace(/\W+/g, '-')}.png`), fullPage: true });
  });

  it('when staff add a contact with an unreadable number, then the phone field says why; with a real number the contact page opens; the same number again is pointed at that contact', async () => {
    await page.goto(`${portal()}/contacts`, { waitUntil: 'networkidle' });
    await page.getByRole('link', { name: 'Add a contact' }).click();
    await page.getByLabel('Name (optional)').fill('Dana Example');
    await page.getByLabel('Phone', { exact: true }).fill('12345');
    await page.getByRole('button', { name: 'Add contact' }).click();
    await page.locator('#phone-error').waitFor({ timeout: 15_000 });
    expect(await page.locator('#phone-error').textContent()).to.match(/^Not a phone number we can read/);
    expect(await page.getByLabel('Phone', { exact: true }).getAttribute('aria-invalid')).to.equal('true');
    expect(await page.getByLabel('Name (optional)').inputValue()).to.equal('Dana Example');
    await page.screenshot({ path: join(ARTIFACTS, 'add-contact-error.png'), fullPage: true });

    await page.getByLabel('Phone', { exact: true }).fill(phone);
    await page.getByRole('button', { name: 'Add contact' }).click();
    await page.waitForURL(/\/contacts\/[0-9a-f-]{36}\?added=1$/, { timeout: 15_000 });
    contactId = /\/contacts\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    await page.getByText('Contact added.').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Dana Example');

    await page.goto(`${portal()}/contacts/new`, { waitUntil: 'networkidle' });
    await page.getByLabel('Phone', { exact: true }).fill(phone);
    await page.getByRole('button', { name: 'Add contact' }).click();
    await page.getByText('A contact already has this number.').waitFor({ timeout: 15_000 });
    expect(await page.getByRole('link', { name: 'Open that contact' }).getAttribute('href')).to.equal(`/contacts/${contactId}`);
  });

  it('when staff add a note and things happen with the contact, then the notes list and the activity timeline show them; consent is offered only on channels they can be reached on', async () => {
    const created = await tenant.admin.post(`/api/v1/contacts/${contactId}/activities`, { type: 'follow_up.outcome', data: { outcome: 'replied', step: 2 } });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    await page.goto(`${portal()}/contacts/${contactId}`, { waitUntil: 'networkidle' });
    await page.getByLabel('Add a note for your team').fill('Prefers mornings; ask for Sam.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('Note added.').waitFor({ timeout: 15_000 });
    await page.reload({ waitUntil: 'networkidle' });
    const notes = page.getByRole('region', { name: 'Notes' });
    expect(await notes.getByText('Prefers mornings; ask for Sam.').count()).to.equal(1);
    const timeline = page.getByRole('region', { name: 'Activity' });
    // PostgreSQL's jsonb keeps keys in its own order, so each detail is checked on its own.
    expect(await timeline.textContent()).to.contain('Follow up outcome').and.contain('outcome: replied').and.contain('step: 2');

    // A phone and no Telegram chat: SMS and WhatsApp can be recorded, Telegram is not offered.
    const offered = await page.locator('select[name=channel] option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(offered).to.deep.equal(['sms', 'whatsapp', 'web']);
    await page.screenshot({ path: join(ARTIFACTS, 'contact-page.png'), fullPage: true });
  });

  it('when the contact writes in, then the conversation page says who they are, with consent per channel and a link to the contact; the timeline lists the conversation', async () => {
    const res = await tenant.twilio.post(tenant.twilio.inboundSmsWebhook({ from: phone, to: tenant.twilioNumber, body: 'Is Saturday morning free?' }));
    expect(res.status).to.equal(200);
    conversationId = await eventually('the conversation', async () => {
      const list = await tenant.admin.get(`/api/v1/conversations?contactId=${contactId}`);
      return (list.body.conversations as { id: string }[] | undefined)?.[0]?.id;
    });
    await page.goto(`${portal()}/conversations/${conversationId}`, { waitUntil: 'networkidle' });
    const panel = page.getByRole('complementary', { name: 'Dana Example' });
    await panel.waitFor({ timeout: 15_000 });
    const text = await panel.textContent();
    expect(text).to.contain(phone).and.contain('SMS: no record').and.contain('WhatsApp: no record');
    await page.screenshot({ path: join(ARTIFACTS, 'conversation-contact.png'), fullPage: true });
    await panel.getByRole('link', { name: 'Open the contact' }).click();
    await page.waitForURL(new RegExp(`/contacts/${contactId}$`), { timeout: 15_000 });
    expect(await page.getByRole('region', { name: 'Activity' }).textContent()).to.contain('Conversation started on SMS');
  });

  it('when the pages are opened on a 390 px phone, then nothing scrolls sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/contacts', '/contacts/new', `/contacts/${contactId}`, `/conversations/${conversationId}`]) {
      await page.goto(`${portal()}${path}`, { waitUntil: 'networkidle' });
      const { scrollWidth, innerWidth } = await horizontalOverflow(page);
      expect(scrollWidth, `${path} is ${scrollWidth} px wide`).to.be.at.most(innerWidth);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'contact-390.png'), fullPage: true });
  });
});

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser as Chromium, Page } from 'playwright-core';
import { e2eFakes, e2eStack } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { horizontalOverflow, signedInPage } from './support/portal-session.js';
import { arrangeTenant, freshNumber, type E2eTenant } from './support/tenant-world.js';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');
type CallView = { from: string; followUp: { state: string }; followUps: { status: string }[] };

/**
 * A business on the defaults (opt-in required, no WhatsApp): its consent rules page shows the defaults and
 * saves changes; its Calls page shows the SMS text-back delivered and a failed automation with n8n's error.
 */
describe('portal: consent rules and what happened to each call (Chromium, real n8n)', function () {
  this.timeout(180_000);
  let tenant: E2eTenant;
  let chromium: Chromium;
  let page: Page;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tenant = await arrangeTenant({ defaults: true });
    ({ chromium, page } = await signedInPage(tenant.tenantId, 'tenant_admin'));
  });
  after(async () => {
    await chromium?.close();
  });

  const visit = (path: string) => page.goto(`${e2eStack().urls.portal}${path}`, { waitUntil: 'networkidle' });
  const missedCall = async (caller: string) => {
    const res = await tenant.twilio.post(tenant.twilio.callStatusWebhook({ from: caller, to: tenant.twilioNumber, status: 'no-answer', direction: 'inbound' }));
    expect(res.status, res.body).to.equal(200);
  };
  const callOf = (caller: string, done: (call: CallView) => boolean) =>
    eventually(`the call from ${caller}`, async () => {
      const { calls } = (await tenant.admin.get('/api/v1/calls')).body as { calls: CallView[] };
      const call = calls.find((c) => c.from === caller);
      return call && done(call) ? call : undefined;
    }, 90_000);

  it('when the owner opens Consent rules, then the defaults are shown; a change is saved and kept', async () => {
    await visit('/consent-rules');
    await page.getByRole('heading', { name: 'Who may be messaged, and when' }).waitFor();
    expect(await page.getByLabel('SMS').isChecked()).to.equal(true);
    expect(await page.getByLabel('WhatsApp').isChecked()).to.equal(true);
    expect(await page.getByLabel('Reply window, in hours').inputValue()).to.equal('24');
    await page.getByText('Default: 24 h.', { exact: false }).waitFor();
    await page.getByText(/Default: “.*reply STOP to unsubscribe/).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'consent-rules.png'), fullPage: true });

    await page.getByLabel('Reply window, in hours').fill('12');
    await page.getByLabel('Reply to HELP').fill('Call us on +1 312 555 0100.');
    await page.getByRole('button', { name: 'Save consent rules' }).click();
    await page.getByRole('status').filter({ hasText: 'Consent rules saved' }).waitFor();
    await visit('/consent-rules');
    expect(await page.getByLabel('Reply window, in hours').inputValue()).to.equal('12');
    expect(await page.getByLabel('Reply to HELP').inputValue()).to.equal('Call us on +1 312 555 0100.');
    const saved = (await tenant.admin.get('/api/v1/messaging-settings')).body as { replyWindowHours: number; helpText: string; optInRequired: { sms: boolean } };
    expect(saved).to.deep.include({ replyWindowHours: 12, helpText: 'Call us on +1 312 555 0100.' });
    expect(saved.optInRequired.sms).to.equal(true);

    // Out of range: the browser itself refuses the form (max=168), and nothing is saved.
    await page.getByLabel('Reply window, in hours').fill('500');
    await page.getByRole('button', { name: 'Save consent rules' }).click();
    expect(await page.evaluate("document.querySelector('input[name=replyWindowHours]').validity.rangeOverflow")).to.equal(true);
    expect(((await tenant.admin.get('/api/v1/messaging-settings')).body as { replyWindowHours: number }).replyWindowHours).to.equal(12);
  });

  it('when a call was texted back and another call failed in the automation, then the Calls page says so for each', async () => {
    const caller = freshNumber();
    await missedCall(caller);
    await missedCall('anonymous');
    await callOf(caller, (call) => call.followUps.some((f) => f.status === 'delivered'));
    await callOf('anonymous', (call) => call.followUp.state === 'failed');
    expect(e2eFakes().twilio.countSends({ to: caller })).to.equal(1);

    await visit('/calls');
    const texted = page.getByRole('row').filter({ hasText: caller });
    await texted.getByText('SMS · Delivered').waitFor();
    const failed = page.getByRole('row').filter({ hasText: 'anonymous' });
    await failed.getByText('Automation did not run').waitFor();
    await failed.getByText(/Find or create caller/).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'calls-outcomes.png'), fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    await visit('/calls');
    await page.getByText('Automation did not run').first().waitFor();
    const width = await horizontalOverflow(page);
    expect(width.scrollWidth, 'Calls page at 390 px').to.be.at.most(width.innerWidth);
    await page.screenshot({ path: join(ARTIFACTS, 'calls-outcomes-phone.png'), fullPage: true });
    await visit('/consent-rules');
    const consentWidth = await horizontalOverflow(page);
    expect(consentWidth.scrollWidth, 'Consent rules at 390 px').to.be.at.most(consentWidth.innerWidth);
  });
});

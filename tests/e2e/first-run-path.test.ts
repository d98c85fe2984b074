import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser as Chromium, type Page } from 'playwright-core';
import { e2eFakes, e2eStack } from './support/e2e-stack.js';
import { freshNumber } from './support/tenant-world.js';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');

/** The first login as `make dev` prints it: "First login:  <email>" and "Password:     <password> …". */
function firstLogin(): { email: string; password: string } {
  const printed = e2eStack().firstLogin ?? '';
  const email = /First login:\s+(\S+)/.exec(printed)?.[1];
  const password = /Password:\s+(\S+)/.exec(printed)?.[1];
  if (!email || !password) throw new Error(`the stack printed no first login: ${JSON.stringify(printed)}`);
  return { email, password };
}

/**
 * The path a new agency walks (issue 12), in Chromium, using only what the pages show: sign in with the
 * printed first login, add a client business, invite its owner (no mail server: the link is shown), accept
 * as the owner, connect Twilio (verified, number chosen, webhooks set at the fake), send a test missed call
 * and see the SMS text-back delivered on the Calls page — the shipped workflow running in the real n8n.
 */
describe('first-run path: install to a texted-back missed call (Chromium, native stack, real n8n)', function () {
  this.timeout(240_000);
  let chromiumBrowser: Chromium;
  const portal = (path: string) => `${e2eStack().urls.portal}${path}`;
  const shoot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `first-run-${name}.png`), fullPage: true });

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    chromiumBrowser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  });
  after(async () => {
    await chromiumBrowser?.close();
  });

  const newPage = async () => (await chromiumBrowser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();

  it('when a new agency follows the pages from the first login, then a test missed call ends in a delivered SMS text-back on the Calls page', async () => {
    const suffix = Date.now().toString(36);
    const business = `Bright Smile ${suffix}`;
    const ownerEmail = `owner-${suffix}@example.test`;
    const ourNumber = freshNumber();
    const twilioAccount = e2eFakes().twilio.addAccount({ numbers: [ourNumber, freshNumber()] });

    // 1. The agency owner signs in with the printed first login.
    const agency = await newPage();
    await agency.goto(portal('/'), { waitUntil: 'networkidle' });
    await agency.getByRole('link', { name: 'Sign in' }).first().click();
    const login = firstLogin();
    await agency.getByLabel('Email').fill(login.email);
    await agency.getByLabel('Password').fill(login.password);
    await agency.getByRole('button', { name: 'Sign in', exact: true }).click();
    await agency.getByRole('heading', { name: 'Client businesses' }).waitFor();

    // 2. Adds a client business and invites its owner: no mail server, so the link is shown once.
    await agency.getByLabel('Name', { exact: true }).fill(business);
    await agency.getByLabel('Short name (URL)').fill(`bright-smile-${suffix}`);
    await agency.getByRole('button', { name: 'Add client business' }).click();
    const row = agency.locator('li', { has: agency.getByRole('heading', { name: business }) });
    await row.waitFor();
    await row.getByLabel("Owner's email").fill(ownerEmail);
    await row.getByRole('button', { name: 'Invite owner' }).click();
    await row.getByText('E-mail is not configured on this server, so no invitation was sent.').waitFor();
    const link = await row.getByLabel('Invitation link for the owner').inputValue();
    expect(link.startsWith(portal('/invitations/accept?token='))).to.equal(true);
    await shoot(agency, 'invitation-link');

    // 3. The owner opens the link in their own browser and accepts.
    const owner = await newPage();
    await owner.goto(link, { waitUntil: 'networkidle' });
    await owner.getByLabel('Your name').fill('Olivia Owner');
    await owner.getByLabel('Choose a password (12 characters or more)').fill('a long enough owner password');
    await owner.getByRole('button', { name: 'Accept and sign in' }).click();
    await owner.waitForURL(portal('/home'));

    // 4. Connects Twilio: verified against the fake, a number chosen, its webhooks set at the fake.
    await owner.getByRole('link', { name: 'Channels', exact: true }).first().click();
    await owner.getByRole('heading', { name: 'SMS and calls (Twilio)' }).waitFor();
    await owner.getByLabel('Account SID').fill(twilioAccount.sid);
    await owner.getByLabel('Auth Token').fill(twilioAccount.authToken);
    await owner.getByRole('button', { name: 'Verify with Twilio' }).click();
    await owner.getByText('Choose the number to use (2 found).').waitFor();
    await owner.getByLabel('Number to use').selectOption(ourNumber);
    await owner.getByRole('button', { name: 'Use this number' }).click();
    await owner.getByText('Webhooks configured at Twilio').waitFor();
    const api = e2eStack().urls.api;
    expect(e2eFakes().twilio.numberUpdates.filter((u) => u.phoneNumber === ourNumber).map((u) => u.params)).to.deep.equal([
      { SmsUrl: `${api}/webhooks/twilio/sms/inbound`, SmsMethod: 'POST', StatusCallback: `${api}/webhooks/twilio/voice/status`, StatusCallbackMethod: 'POST' },
    ]);
    expect(await owner.getByText(`${api}/webhooks/twilio/voice/status`).count()).to.equal(1);
    // Texts may go out around the clock for this test (the fictional caller's area code may be at night).
    await owner.getByLabel('From', { exact: true }).fill('00:00');
    await owner.getByLabel('Until', { exact: true }).fill('23:59');
    await owner.getByRole('button', { name: 'Save settings' }).click();
    await owner.getByText('Messaging settings saved.').waitFor();
    await shoot(owner, 'channels');

    // 5. Sends a test missed call and follows it on the Calls page until the SMS text-back is delivered.
    await owner.getByRole('button', { name: 'Send a test missed call' }).click();
    const sent = owner.getByRole('status').filter({ hasText: 'Test missed call from' });
    await sent.waitFor();
    const caller = /from (\+\d+)/.exec((await sent.textContent()) ?? '')?.[1];
    expect(caller).to.match(/^\+131255501\d\d$/);
    await owner.getByRole('link', { name: 'Open the Calls page' }).click();
    const callRow = owner.locator('tr', { hasText: caller! });
    await callRow.waitFor();
    expect(await callRow.getByText('Test call').count()).to.equal(1);
    const deadline = Date.now() + 120_000;
    while ((await callRow.getByText('SMS · Delivered').count()) === 0) {
      if (Date.now() > deadline) {
        await shoot(owner, 'calls-timeout');
        throw new Error(`no delivered SMS on the Calls page: ${await callRow.textContent()}`);
      }
      await owner.waitForTimeout(2_000);
      await owner.reload({ waitUntil: 'networkidle' });
    }
    await shoot(owner, 'calls');
    expect(e2eFakes().twilio.messages.filter((m) => m.to === caller && m.from === ourNumber).map((m) => m.status)).to.deep.equal(['delivered']);
  });
});

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser as Chromium, type Page } from 'playwright-core';
import { QueryTypes, Sequelize } from 'sequelize';
import Stripe from 'stripe';
import { createAgency, createPerson, createTenant } from '../../backend/test/support/identity-world.js';
import { e2eDatabaseAdminUrl, e2eFakes, e2eStack } from './support/e2e-stack.js';
import { eventually } from './support/eventually.js';
import { overflowingElements, seriousAxeViolations } from './support/page-checks.js';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');
const DAY_S = 86_400;

type Person = { email: string; password: string };

/**
 * Billing in a real Chromium against the native stack and the fake Stripe (issue 15). An agency of its own
 * (so no other e2e file sees its Stripe account or plans) connects its Stripe account, creates a plan and
 * assigns it; a client business's owner pays through Checkout; a failed renewal shows the past-due banner.
 * Everyone starts at the sign-in page like a newcomer.
 */
describe('portal billing: the agency sells a plan, a business pays through Checkout, a failed payment shows (Chromium, fake Stripe)', function () {
  this.timeout(180_000);
  let browser: Chromium;
  let db: Sequelize;
  let agencyId: string;
  let stripeKey: string;
  let agencyOwner: Person;
  let assignedTenant: { id: string; name: string };
  let payingTenantId: string;
  let payingOwner: Person;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    db = new Sequelize(e2eDatabaseAdminUrl(), { logging: false });
    agencyId = await createAgency(db);
    const assignedId = await createTenant(db, agencyId);
    assignedTenant = { id: assignedId, name: (await one<{ name: string }>('SELECT name FROM tenants WHERE id = :id', { id: assignedId })).name };
    payingTenantId = await createTenant(db, agencyId);
    agencyOwner = await createPerson(db, [{ agencyId, tenantId: null, role: 'agency_owner' }]);
    payingOwner = await createPerson(db, [{ agencyId, tenantId: payingTenantId, role: 'tenant_owner' }]);
    stripeKey = e2eFakes().stripe.addAccount().secretKey;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    await db?.close();
  });

  async function one<T extends object | undefined>(sql: string, replacements: Record<string, unknown>): Promise<T> {
    const rows = (await db.query(sql, { replacements, type: QueryTypes.SELECT })) as T[];
    return rows[0]!;
  }

  /** A fresh browser at `width` px, signed in through the sign-in page, landing on `next`. */
  async function signIn(person: Person, next: string, width = 1280): Promise<Page> {
    // bypassCSP: the axe checks inject their script.
    const page = await (await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true })).newPage();
    await page.goto(`${e2eStack().urls.portal}/sign-in?next=${encodeURIComponent(next)}`, { waitUntil: 'networkidle' });
    await page.fill('input[name=email]', person.email);
    await page.fill('input[name=password]', person.password);
    await page.click('button[type=submit]');
    await page.waitForURL((url) => url.pathname === next, { timeout: 30_000 });
    return page;
  }

  const shoot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  async function expectPhoneFriendlyAndAccessible(page: Page, name: string): Promise<void> {
    expect(await seriousAxeViolations(page), `axe on ${name}`).to.deep.equal([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload({ waitUntil: 'networkidle' });
    expect(await overflowingElements(page), `${name} at phone width`).to.deep.equal([]);
    expect(await seriousAxeViolations(page), `axe on ${name} at phone width`).to.deep.equal([]);
    await shoot(page, `${name}-phone`);
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('when the agency owner connects the Stripe account, creates a plan and assigns it from the overview, then the plan is in Stripe and in the tenant’s billing column', async () => {
    const page = await signIn(agencyOwner, '/agency/plans');
    const webhookUrl = (await page.getByTestId('stripe-webhook-url').textContent())!.trim();
    expect(webhookUrl).to.equal(`${e2eStack().urls.api}/webhooks/stripe-billing/${agencyId}`);
    // In Stripe's dashboard the agency adds that endpoint and copies its signing secret: here, through the fake's API.
    const { stripe: fake } = e2eFakes();
    const stripe = new Stripe(stripeKey, { host: '127.0.0.1', port: fake.port, protocol: 'http' });
    const endpoint = await stripe.webhookEndpoints.create({
      url: webhookUrl,
      enabled_events: ['checkout.session.completed', 'customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted',
        'customer.subscription.paused', 'customer.subscription.resumed', 'invoice.paid', 'invoice.payment_failed', 'invoice.finalized'],
    });

    await page.getByText('Connect the agency’s Stripe account').click();
    await page.getByLabel('Secret key').fill(stripeKey);
    await page.getByLabel('Webhook signing secret').fill(endpoint.secret!);
    await page.getByRole('button', { name: 'Check with Stripe and save' }).click();
    await page.getByText('Connected. New plans go to this Stripe account.').waitFor();
    expect(await page.getByText('webhook signing secret saved').count()).to.equal(1);

    const newPlan = page.locator('section', { has: page.getByRole('heading', { name: 'New plan' }) });
    await newPlan.getByLabel('Name', { exact: true }).fill('Pro');
    await newPlan.getByLabel('Public description').fill('Two AI agents, SMS and web chat');
    await newPlan.getByLabel(/Price per month/).fill('49.00');
    await newPlan.getByRole('button', { name: 'Create plan' }).click();
    await page.getByText('Created Pro.').waitFor();
    const card = page.locator('li', { has: page.getByRole('heading', { name: 'Pro' }) });
    expect(await card.getByText('In Stripe').count()).to.equal(1);
    expect(await card.getByText('$49.00').count()).to.be.greaterThan(0);
    expect([...fake.accounts.get(stripeKey)!.products.values()].map((p) => p.name)).to.include('Pro');
    await shoot(page, 'billing-agency-plans');
    await expectPhoneFriendlyAndAccessible(page, 'agency-plans');

    await page.goto(`${e2eStack().urls.portal}/agency`, { waitUntil: 'networkidle' });
    expect(await page.getByText('Total MRR').count()).to.equal(1);
    const row = page.locator('li', { has: page.getByRole('heading', { name: assignedTenant.name }) });
    expect(await row.getByText('No plan', { exact: true }).count()).to.be.greaterThan(0);
    await row.getByText('Assign plan, comp or grant a trial').click();
    await row.getByLabel('Plan', { exact: true }).selectOption({ label: 'Pro (v1)' });
    await row.getByRole('button', { name: 'Assign plan' }).click();
    await row.getByText('Now on Pro, billed outside Switchboard.').waitFor();
    const column = row.getByRole('region', { name: 'Plan and billing' });
    expect(await column.getByText('Pro v1 · billed outside Switchboard').count()).to.equal(1);
    expect(await column.getByText('Active', { exact: true }).count()).to.equal(1);
    expect(await column.getByText('$49.00').count()).to.equal(1);
    // The total MRR line counts it.
    expect(await page.getByRole('region', { name: 'Monthly recurring revenue' }).getByText('$49.00').count()).to.equal(1);
    await shoot(page, 'billing-agency-overview');
    await expectPhoneFriendlyAndAccessible(page, 'agency-overview');
  });

  it('when a business owner picks the plan on Billing and pays on the Checkout page, then Billing shows the plan, active', async () => {
    const page = await signIn(payingOwner, '/billing');
    const pro = page.locator('li', { has: page.getByRole('heading', { name: 'Pro' }) });
    await pro.getByRole('button', { name: 'Choose Pro' }).click();
    await page.waitForURL((url) => url.href.startsWith(e2eFakes().stripe.pagesUrl)).catch(async (err) => {
      await shoot(page, 'billing-checkout-refused');
      throw new Error(`not sent to Checkout: ${(await page.getByRole('alert').allTextContents()).join(' | ')} (${String(err)})`);
    });
    await shoot(page, 'billing-checkout');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/billing' && url.searchParams.get('checkout') === 'success');
    await e2eFakes().stripe.settled();
    // The signed webhooks reached the stack: the subscription is Stripe's, active.
    await eventually('the Stripe subscription active in the stack', async () => {
      const row = await one<{ status: string; billing: string } | undefined>('SELECT status, billing FROM subscriptions WHERE tenant_id = :tenantId', { tenantId: payingTenantId });
      return row?.status === 'active' && row.billing === 'stripe' ? row : undefined;
    }, 30_000);
    await page.reload({ waitUntil: 'networkidle' });
    const current = page.locator('section', { has: page.locator('#current-title') });
    expect(await current.getByRole('heading', { name: 'Pro' }).count()).to.equal(1);
    expect(await current.getByText('Active', { exact: true }).count()).to.equal(1);
    await shoot(page, 'billing-paid');
    await expectPhoneFriendlyAndAccessible(page, 'billing');
  });

  it('when the renewal charge fails (failing card, clock past the period end), then the owner sees the past-due banner on Billing', async () => {
    const { stripe: fake } = e2eFakes();
    const { customerId } = await one<{ customerId: string }>('SELECT stripe_customer_id AS "customerId" FROM subscriptions WHERE tenant_id = :tenantId', { tenantId: payingTenantId });
    fake.setPaymentOutcome(customerId, 'fail');
    fake.advanceClock(32 * DAY_S, stripeKey);
    await fake.settled();
    await eventually('the subscription past due in the stack', async () => {
      const row = await one<{ status: string }>('SELECT status FROM subscriptions WHERE tenant_id = :tenantId', { tenantId: payingTenantId });
      return row.status === 'past_due' ? row : undefined;
    }, 30_000);

    const page = await signIn(payingOwner, '/billing');
    const banner = page.getByRole('alert').filter({ hasText: 'Your last payment failed' });
    expect(await banner.count()).to.equal(1);
    expect(await banner.textContent()).to.match(/Everything keeps working until \d{4}-\d{2}-\d{2}/);
    expect(await page.getByText('Payment failed', { exact: true }).count()).to.equal(1);
    await shoot(page, 'billing-past-due');
    await expectPhoneFriendlyAndAccessible(page, 'billing-past-due');
    // Billing shows its own notice only; every other page of the business carries the banner, with the way to pay.
    expect(await page.getByTestId('billing-banner').count()).to.equal(0);
    await page.goto(new URL('/conversations', page.url()).toString());
    const everywhere = page.getByTestId('billing-banner');
    expect(await everywhere.textContent()).to.match(/The last payment failed\. Service continues until \d{4}-\d{2}-\d{2}/);
    expect(await everywhere.getByRole('link', { name: 'Open Billing' }).getAttribute('href')).to.equal('/billing');
    await shoot(page, 'billing-past-due-banner-elsewhere');

    // The agency sees it in the overview column too.
    const agency = await signIn(agencyOwner, '/agency');
    const row = agency.locator('li', { has: agency.getByRole('heading', { name: (await one<{ name: string }>('SELECT name FROM tenants WHERE id = :id', { id: payingTenantId })).name }) });
    const column = row.getByRole('region', { name: 'Plan and billing' });
    expect(await column.getByText('Past due', { exact: true }).count()).to.equal(1);
    expect(await column.getByText(/Payment overdue/).count()).to.equal(1);
  });
});

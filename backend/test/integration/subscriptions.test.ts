import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import Stripe from 'stripe';
import request from 'supertest';
import { clickButton, type FakeStripe } from '../../../tests/fakes/stripe/index.js';
import { loadConfig } from '../../src/config.js';
import { createContainer } from '../../src/container.js';
import { scopeRunner } from '../../src/db/tenant-scope.js';
import type { SubscriptionDeps } from '../../src/modules/subscriptions/subscription-deps.js';
import { reconcileSubscriptions } from '../../src/modules/subscriptions/reconcile-subscriptions.js';
import { announceRestrictions } from '../../src/modules/subscriptions/announce-restrictions.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { InMemoryMail } from '../support/in-memory-mail.js';
import { planBody, starterEntitlements } from '../support/plans-world.js';
import { providerFakes } from '../support/provider-fakes.js';
import { listen, newSigningSecret, saveAgencyStripe, subscriptionRowOf } from '../support/subscriptions-world.js';
import { actingAsPrincipal, memberPrincipal, testEnv, TestApi } from '../support/test-api.js';

const DAY = 86_400;
const JAN_1_2030 = Date.UTC(2030, 0, 1) / 1000;
const at = (month: number, day: number) => new Date(Date.UTC(2030, month - 1, day)).toISOString();

/**
 * A client business subscribes, pays, changes plan, falls behind and cancels, entirely through the tenant
 * Billing routes against the fake Stripe (official SDK), with Stripe's webhooks delivered to the running app.
 * Stripe's clock starts at 2030-01-01T00:00Z so periods are exact dates.
 */
describe('Subscriptions through Stripe Checkout (tenant Billing routes, webhooks, reconcile, dunning)', function () {
  this.timeout(60_000);
  let db: Sequelize;
  let api: TestApi;
  let app: { url: string; close(): Promise<void> };
  let fake: FakeStripe;
  let mail: InMemoryMail;
  let x: WorldAgency;
  let key: string;
  let stripe: Stripe;
  let agencyOwner: Record<string, string>;
  let tenantOwner: Record<string, string>;
  let deps: SubscriptionDeps;

  before(async () => {
    db = superuserSequelize();
    mail = new InMemoryMail();
    const container = createContainer(loadConfig(testEnv()));
    container.mail = mail;
    api = new TestApi(container);
    app = await listen(api.app);
    fake = providerFakes().stripe;
    deps = {
      runInScope: scopeRunner(container.sequelize), events: container.events, mail, encryptionKey: container.config.secrets.encryptionKey,
      portalUrl: container.config.portalUrl, billing: { port: container.billing },
    };
  });
  beforeEach(async () => {
    x = await createAgencyWorld(db);
    key = fake.addAccount().secretKey;
    fake.setClock(JAN_1_2030, key);
    const webhookSecret = newSigningSecret();
    await saveAgencyStripe(db, x.id, { secretKey: key, webhookSecret });
    fake.addWebhookEndpoint(key, `${app.url}/webhooks/stripe-billing/${x.id}`, webhookSecret);
    stripe = new Stripe(key, { host: '127.0.0.1', port: fake.port, protocol: 'http', maxNetworkRetries: 0 });
    agencyOwner = api.signIn(memberPrincipal(x.id, x.owner));
    tenantOwner = api.signIn(memberPrincipal(x.id, x.tenants[0].users.tenant_owner));
  });
  after(async () => {
    await app.close();
    await api.close();
    await db.close();
  });

  const tenantId = () => x.tenants[0].id;
  const post = (path: string, body: object = {}, headers = tenantOwner) => request(api.app).post(path).set(headers).send(body);
  const billing = async () => (await request(api.app).get('/api/v1/billing').set(tenantOwner).expect(200)).body;
  async function createPlan(overrides: Record<string, unknown> = {}) {
    const plan = (await post('/api/v1/agency/plans', planBody(overrides), agencyOwner).expect(201)).body.plan;
    expect(plan.stripeSync.status).to.equal('synced');
    return plan as { id: string; current: { id: string; stripeMonthlyPriceId: string } };
  }
  /** Checkout as the owner would: the URL from our API, then "Pay" on the fake's hosted page, then Stripe's webhooks. */
  async function subscribe(planId: string, button = 'Pay') {
    const { url } = (await post('/api/v1/billing/checkout', { planId, interval: 'month' }).expect(200)).body;
    const paid = await clickButton(url, button);
    expect(paid.status).to.equal(303);
    expect(paid.headers.get('location')).to.match(/\/billing\?checkout=success$/);
    await fake.settled();
    return (await subscriptionRowOf(db, tenantId()))!;
  }
  const eventTypes = async () => ((await db.query(
    `SELECT type FROM event_outbox WHERE tenant_id = :tenantId AND type LIKE 'subscription.%' ORDER BY occurred_at, id`, { replacements: { tenantId: tenantId() } },
  )) as [{ type: string }[], unknown])[0].map((row) => row.type);
  const audit = async () => ((await db.query(
    `SELECT action, before, after, actor_type AS "actorType" FROM audit_events WHERE tenant_id = :tenantId AND action LIKE 'subscription.%' ORDER BY seq`,
    { replacements: { tenantId: tenantId() } },
  )) as [{ action: string; before: Record<string, unknown> | null; after: Record<string, unknown>; actorType: string }[], unknown])[0];

  it('when the owner pays on the Checkout page, then the webhooks make the subscription active on the plan\'s version (created once, audited, published)', async () => {
    const plan = await createPlan({ name: 'Growth', monthlyPriceMinor: 4900 });
    const row = await subscribe(plan.id);
    expect(row).to.deep.include({ status: 'active', billing: 'stripe', interval: 'month', planVersionId: plan.current.id, cancelAtPeriodEnd: false, pastDueSince: null });
    const customer = await stripe.customers.retrieve(row.stripeCustomerId as string) as Stripe.Customer;
    expect(customer.metadata).to.deep.include({ tenantId: tenantId(), agencyId: x.id });
    const remote = await stripe.subscriptions.retrieve(row.stripeSubscriptionId as string);
    expect(remote.metadata).to.deep.equal({ tenantId: tenantId(), agencyId: x.id, planVersionId: plan.current.id });

    const view = await billing();
    expect(view.subscription).to.deep.include({ status: 'active', billing: 'stripe', nextPaymentAt: at(2, 1), currentPeriodEnd: at(2, 1), trialDaysLeft: null });
    expect(view.subscription.plan).to.deep.include({ id: plan.id, name: 'Growth', version: 1 });
    expect(view.entitlements.agents).to.equal(1);
    expect(view.banner).to.equal(null);
    expect(view.payments).to.deep.equal({ online: true, customerPortal: true });
    expect(view.plans.find((p: { id: string }) => p.id === plan.id)).to.deep.include({ current: true, payableOnline: true, monthlyPriceMinor: 4900 });

    expect(await eventTypes()).to.deep.equal(['subscription.created']);
    expect((await audit()).map((a) => a.action)).to.deep.equal(['subscription.checkout_started', 'subscription.status_changed']);
    const [stored] = (await db.query('SELECT count(*)::int AS n, count(applied_at)::int AS applied FROM billing_events WHERE agency_id = :id', { replacements: { id: x.id } })) as [{ n: number; applied: number }[], unknown];
    expect(stored[0]).to.deep.equal({ n: fake.events(key).length, applied: fake.events(key).length });

    const again = await post('/api/v1/billing/checkout', { planId: plan.id }).expect(409);
    expect(again.body.error.details.reason).to.equal('already_subscribed');
    const invoices = (await request(api.app).get('/api/v1/billing/invoices').set(tenantOwner).expect(200)).body.invoices;
    expect(invoices).to.have.length(1);
    expect(invoices[0]).to.deep.include({ number: 'INV-0001', amountMinor: 4900, amountPaidMinor: 4900, currency: 'usd', status: 'paid' });
    expect(invoices[0].pdfUrl).to.be.a('string');
    const portal = (await post('/api/v1/billing/portal').expect(200)).body.url;
    expect(await (await fetch(portal)).text()).to.include('INV-0001');
  });

  it('when the plan has a trial, then the tenant trials (days left shown) and becomes active when Stripe\'s clock passes the trial end', async () => {
    const plan = await createPlan({ trialDays: 14 });
    const row = await subscribe(plan.id);
    expect(row).to.deep.include({ status: 'trialing' });
    expect((row.trialEnd as Date).toISOString()).to.equal(at(1, 15));
    expect((await billing()).subscription).to.deep.include({ status: 'trialing', trialEnd: at(1, 15), nextPaymentAt: at(1, 15) });

    fake.advanceClock(14 * DAY + 3600, key);
    await fake.settled();
    const active = (await subscriptionRowOf(db, tenantId()))!;
    expect(active.status).to.equal('active');
    expect((active.currentPeriodEnd as Date).toISOString()).to.equal(at(2, 15));
    expect(await eventTypes()).to.deep.equal(['subscription.created', 'subscription.updated']);
  });

  it('when a renewal fails, then past_due (since set, owner mailed, banner), and when a retry succeeds, then active again at once', async () => {
    const plan = await createPlan();
    const row = await subscribe(plan.id);
    fake.failNextPayment(row.stripeCustomerId as string);
    mail.sent.length = 0;
    fake.advanceClock(31 * DAY + 3600, key);
    await fake.settled();

    const pastDue = (await subscriptionRowOf(db, tenantId()))!;
    expect(pastDue.status).to.equal('past_due');
    expect(Date.now() - (pastDue.pastDueSince as Date).getTime()).to.be.lessThan(60_000);
    const view = await billing();
    expect(view.banner.kind).to.equal('past_due');
    expect(Date.parse(view.banner.graceUntil) - (pastDue.pastDueSince as Date).getTime()).to.equal(7 * DAY * 1000);
    const owners = mail.sent.filter((m) => /Payment failed/.test(m.subject));
    expect(owners).to.have.length(1);
    expect(owners[0]!.text).to.include('/billing').and.include('7 more days');

    // The grace (7 days by default) runs out: the banner says restricted, and subscription.restricted goes out once.
    await db.query(`UPDATE subscriptions SET past_due_since = now() - interval '8 days' WHERE tenant_id = :tenantId`, { replacements: { tenantId: tenantId() } });
    expect((await billing()).banner.kind).to.equal('restricted');
    expect(await announceRestrictions(deps, { agencyId: x.id })).to.equal(1);
    expect(await announceRestrictions(deps, { agencyId: x.id })).to.equal(0);

    fake.advanceClock(3 * DAY, key); // Stripe's first retry, 3 days later, succeeds
    await fake.settled();
    const recovered = (await subscriptionRowOf(db, tenantId()))!;
    expect(recovered).to.deep.include({ status: 'active', pastDueSince: null });
    expect((await billing()).banner).to.equal(null);
    expect(await eventTypes()).to.deep.equal(['subscription.created', 'subscription.past_due', 'subscription.restricted', 'subscription.recovered']);
    const changes = (await audit()).filter((a) => a.action === 'subscription.status_changed').map((a) => [a.before?.status ?? null, a.after.status]);
    expect(changes).to.deep.equal([[null, 'active'], ['active', 'past_due'], ['past_due', 'active']]);
  });

  it('when the owner changes plan mid-period, then Stripe prorates exactly and the row moves to the new version', async () => {
    const basic = await createPlan({ name: 'Basic', monthlyPriceMinor: 3000 });
    const pro = await createPlan({ name: 'Pro', monthlyPriceMinor: 6000 });
    const row = await subscribe(basic.id);
    fake.advanceClock(10 * DAY, key); // Jan 11: 21 of January's 31 days remain
    const changed = (await post('/api/v1/billing/change', { planId: pro.id }).expect(200)).body;
    expect(changed.subscription.plan).to.deep.include({ id: pro.id, name: 'Pro' });
    expect((await subscriptionRowOf(db, tenantId()))!.planVersionId).to.equal(pro.current.id);
    const pending = await stripe.invoiceItems.list({ customer: row.stripeCustomerId as string, pending: true });
    expect(pending.data.map((item) => item.amount).sort((a, b) => a - b)).to.deep.equal([-2032, 4065]);
    await post('/api/v1/billing/change', { planId: pro.id }).expect(409);
    await fake.settled();
    expect((await subscriptionRowOf(db, tenantId()))!.planVersionId).to.equal(pro.current.id);
    expect((await audit()).map((a) => a.action)).to.include('subscription.plan_change_requested');
  });

  it('when an owner abandons Checkout and comes back after Stripe has forgotten the idempotency key, then the same Stripe customer is used', async () => {
    const plan = await createPlan();
    await post('/api/v1/billing/checkout', { planId: plan.id, interval: 'month' }).expect(200);
    fake.forgetIdempotencyKeys(); // a day later
    await post('/api/v1/billing/checkout', { planId: plan.id, interval: 'month' }).expect(200);
    const customers = await stripe.customers.list({ limit: 10 });
    expect(customers.data.map((c) => c.metadata.tenantId)).to.deep.equal([tenantId()]);
    const row = await subscribe(plan.id);
    expect(row.stripeCustomerId).to.equal(customers.data[0]!.id);
  });

  it('when the owner downgrades through Stripe to a plan with fewer agents, then the newest extra agents are paused (not deleted), audited as Stripe\'s doing', async () => {
    const big = await createPlan({ name: 'Team', monthlyPriceMinor: 6000, entitlements: starterEntitlements({ agents: 3 }) });
    const small = await createPlan({ name: 'Solo', monthlyPriceMinor: 2000, entitlements: starterEntitlements({ agents: 1 }) });
    await subscribe(big.id);
    for (const [i, name] of ['Reception', 'Bookings', 'Reviews'].entries()) {
      await db.query(
        `INSERT INTO agents (agency_id, tenant_id, name, channels, enabled, web_key, created_at)
         VALUES (:agencyId, :tenantId, :name, '{sms}', true, :webKey, now() - make_interval(mins => :age))`,
        { replacements: { agencyId: x.id, tenantId: tenantId(), name, webKey: `wk_${randomBytes(12).toString('base64url')}`, age: 10 - i } },
      );
    }
    await post('/api/v1/billing/change', { planId: small.id }).expect(200);
    await fake.settled();
    const agents = await db.query<{ name: string; enabled: boolean }>('SELECT name, enabled FROM agents WHERE tenant_id = :tenantId ORDER BY created_at',
      { replacements: { tenantId: tenantId() }, type: QueryTypes.SELECT });
    expect(agents).to.deep.equal([{ name: 'Reception', enabled: true }, { name: 'Bookings', enabled: false }, { name: 'Reviews', enabled: false }]);
    const paused = await db.query<{ actorType: string; actorId: string }>(
      `SELECT actor_type AS "actorType", actor_id AS "actorId" FROM audit_events WHERE tenant_id = :tenantId AND action = 'agent.paused_by_plan'`,
      { replacements: { tenantId: tenantId() }, type: QueryTypes.SELECT });
    expect(paused).to.have.length(2);
    expect(paused.every((a) => a.actorType === 'system' && a.actorId.startsWith('stripe')), JSON.stringify(paused)).to.equal(true);
  });

  it('when the owner cancels at period end, then service continues until Stripe\'s clock passes the end, then canceled (resume undoes it before)', async () => {
    const plan = await createPlan();
    await subscribe(plan.id);
    expect((await post('/api/v1/billing/cancel').expect(200)).body.subscription).to.deep.include({ status: 'active', cancelAtPeriodEnd: true, nextPaymentAt: null });
    expect((await post('/api/v1/billing/resume').expect(200)).body.subscription).to.deep.include({ cancelAtPeriodEnd: false, nextPaymentAt: at(2, 1) });
    await post('/api/v1/billing/resume').expect(409);
    await post('/api/v1/billing/cancel').expect(200);
    fake.advanceClock(30 * DAY, key);
    await fake.settled();
    expect((await subscriptionRowOf(db, tenantId()))!.status).to.equal('active');
    fake.advanceClock(DAY + 60, key);
    await fake.settled();
    expect((await subscriptionRowOf(db, tenantId()))!.status).to.equal('canceled');
    expect((await billing()).subscription).to.deep.include({ status: 'canceled', nextPaymentAt: null });
    expect((await eventTypes()).at(-1)).to.equal('subscription.canceled');
    await post('/api/v1/billing/cancel').expect(409);
  });

  it('when the row drifted from Stripe (edited by hand), then reconcile writes Stripe\'s state back, audited as subscription.reconciled; a second run changes nothing', async () => {
    const plan = await createPlan();
    const other = await createPlan({ name: 'Other' });
    const before = await subscribe(plan.id);
    await db.query(`UPDATE subscriptions SET status = 'past_due', past_due_since = now(), plan_version_id = :other, cancel_at_period_end = true WHERE tenant_id = :tenantId`,
      { replacements: { other: other.current.id, tenantId: tenantId() } });
    expect(await reconcileSubscriptions(deps, { agencyId: x.id })).to.deep.equal({ checked: 1, repaired: 1, failed: 0 });
    expect(await subscriptionRowOf(db, tenantId())).to.deep.equal(before);
    const reconciled = (await audit()).filter((a) => a.action === 'subscription.reconciled');
    expect(reconciled).to.have.length(1);
    expect(reconciled[0]).to.deep.include({ actorType: 'system' });
    expect(reconciled[0]!.before).to.deep.include({ status: 'past_due', planVersionId: other.current.id, cancelAtPeriodEnd: true });
    expect(reconciled[0]!.after).to.deep.include({ status: 'active', planVersionId: plan.current.id, cancelAtPeriodEnd: false, pastDueSince: null });
    expect(await reconcileSubscriptions(deps, { agencyId: x.id })).to.deep.equal({ checked: 1, repaired: 0, failed: 0 });
    // The nightly job walks every agency of the installation.
    const nightly = await reconcileSubscriptions(deps);
    expect(nightly.checked).to.be.at.least(1);
    expect(nightly).to.deep.include({ repaired: 0, failed: 0 });
  });

  it('when the agency gave a trial by hand, then the owner pays online through Checkout: billed by Stripe from now on, no second trial', async () => {
    const plan = await createPlan({ trialDays: 14 });
    await request(api.app).put(`/api/v1/agency/tenants/${tenantId()}/subscription`).set(agencyOwner).send({ kind: 'trial', planId: plan.id }).expect(200);
    expect((await billing()).subscription).to.deep.include({ status: 'trialing', billing: 'manual' });
    const row = await subscribe(plan.id);
    expect(row).to.deep.include({ status: 'active', billing: 'stripe', trialEnd: null, planVersionId: plan.current.id });
    expect(await eventTypes()).to.deep.equal(['subscription.trial_granted', 'subscription.created']);
  });

  it('when a tenant member or an agency-level caller uses the billing routes, then 403; agency staff acting as the tenant may', async () => {
    const member = api.signIn(memberPrincipal(x.id, x.tenants[0].users.tenant_member));
    await request(api.app).get('/api/v1/billing').set(member).expect(403);
    await post('/api/v1/billing/checkout', { planId: (await createPlan()).id }, member).expect(403);
    await request(api.app).get('/api/v1/billing').set(agencyOwner).expect(403);
    const staff = api.signIn(actingAsPrincipal(x.id, x.operator, tenantId()));
    expect((await request(api.app).get('/api/v1/billing').set(staff).expect(200)).body.subscription).to.equal(null);
  });
});

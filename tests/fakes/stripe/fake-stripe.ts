// A fake of the Stripe API for tests and demos: catalogue (products, prices, payment links), customers,
// Checkout (subscription mode) and Billing Portal with pages served by the fake, subscriptions with
// their state machine, invoices, a clock tests advance, events and signed webhooks. Per account (secret
// key), Basic or Bearer key check, Idempotency-Key replay like Stripe's, fault switches from
// ../support/faults.ts. Point the official SDK at it:
// `new Stripe(key, { host: '127.0.0.1', port: fake.port, protocol: 'http' })`.
// Hosted pages (Checkout, Billing Portal, invoices) live on a second port, `pagesUrl`, as Stripe's live on
// their own hosts: the shared fake server answers JSON only.
import { FakeProviderServer, type FakeRequest, type Reply } from '../support/fake-server.js';
import { clearAccount, newAccount, type Billing, type StripeAccount } from './account.js';
import { billingRoutes } from './billing-routes.js';
import { catalogueRoutes } from './catalogue.js';
import { advanceClock } from './clock.js';
import { WebhookDeliveries, type Delivery } from './delivery.js';
import { expandBody } from './expand.js';
import { eventRoutes, newEndpoint, newEvent, subscribers } from './events.js';
import { parseStripeForm } from './form.js';
import { stripeTestKey } from './ids.js';
import { HostedPages } from './pages.js';
import { setPaymentOutcome } from './payments.js';
import type { Route } from './routes.js';
import type { WebhookEndpoint } from './types.js';
import type { StripeEvent } from './webhooks.js';

export { stripeId, stripeTestKey } from './ids.js';
export type { StripeAccount } from './account.js';

const ROUTES: Route[] = [...catalogueRoutes, ...billingRoutes, ...eventRoutes];

export class FakeStripe extends FakeProviderServer {
  readonly accounts = new Map<string, StripeAccount>();
  readonly webhooks = new WebhookDeliveries();
  /** Where Checkout, Billing Portal and invoice pages are served (a second port). */
  pagesUrl = '';
  private pages?: HostedPages;
  private readonly idempotent = new Map<string, { fingerprint: string; reply: Reply }>();

  static async start(options: { secretKeys?: string[]; port?: number; pagesPort?: number } = {}): Promise<FakeStripe> {
    const fake = new FakeStripe();
    for (const key of options.secretKeys ?? []) fake.addAccount(key);
    await fake.listen(options.port ?? 0);
    fake.pages = await HostedPages.start(fake, options.pagesPort ?? 0);
    fake.pagesUrl = fake.pages.url;
    return fake;
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  override async close(): Promise<void> {
    this.webhooks.stop();
    await this.pages?.close();
    await super.close();
  }

  addAccount(secretKey = stripeTestKey()): StripeAccount {
    const account = newAccount(secretKey);
    this.accounts.set(secretKey, account);
    return account;
  }

  /** The account of a secret key, or of the object (customer, subscription, session...) with this id. */
  accountOf(keyOrObjectId: string): StripeAccount {
    const account = this.accounts.get(keyOrObjectId) ?? [...this.accounts.values()].find((a) =>
      [a.customers, a.subscriptions, a.invoices, a.checkoutSessions, a.portalSessions].some((store) => store.has(keyOrObjectId)));
    if (!account) throw new Error(`no fake Stripe account has ${keyOrObjectId}`);
    return account;
  }

  /** The billing context operations run in: the account, its clock, its event sink, the pages' base URL. */
  billing(account: StripeAccount): Billing {
    return {
      account, pagesUrl: this.pagesUrl, now: () => account.clock.now,
      emit: (type, object, previous) => this.publish(account, newEvent(account, type, object, previous)),
    };
  }

  /** All payment links created in the fake, across accounts. */
  paymentLinks(): Record<string, unknown>[] {
    return [...this.accounts.values()].flatMap((a) => [...a.paymentLinks.values()]);
  }

  /** Registers where the account's events go, signed with `signingSecret` (a whsec_… the app was given). */
  addWebhookEndpoint(secretKey: string, url: string, signingSecret: string, enabledEvents: string[] = ['*']): WebhookEndpoint {
    return newEndpoint(this.accountOf(secretKey), url, signingSecret, enabledEvents);
  }

  /** Moves Stripe's clock forward for one account (or all), running everything that falls due, in order. */
  advanceClock(seconds: number, secretKey?: string): void {
    const accounts = secretKey ? [this.accountOf(secretKey)] : [...this.accounts.values()];
    for (const account of accounts) advanceClock(this.billing(account), seconds);
  }

  /** Sets Stripe's clock of one account (or all) to `unixSeconds`, like a test clock's frozen_time: for the start of a test. */
  setClock(unixSeconds: number, secretKey?: string): void {
    const accounts = secretKey ? [this.accountOf(secretKey)] : [...this.accounts.values()];
    for (const account of accounts) account.clock.now = Math.floor(unixSeconds);
  }

  /** The next `count` charges of the customer fail or succeed; without `count`, every later charge does. */
  setPaymentOutcome(customerId: string, outcome: 'fail' | 'succeed', count?: number): void {
    setPaymentOutcome(this.accountOf(customerId), customerId, outcome, count);
  }

  failNextPayment(customerId: string, count = 1): void {
    this.setPaymentOutcome(customerId, 'fail', count);
  }

  /** Events of one account (or all), oldest first. */
  events(secretKey?: string): StripeEvent[] {
    return secretKey ? [...this.accountOf(secretKey).events] : [...this.accounts.values()].flatMap((a) => a.events);
  }

  deliveries(): Delivery[] {
    return [...this.webhooks.log];
  }

  redeliver(eventId: string): void {
    const account = [...this.accounts.values()].find((a) => a.events.some((e) => e.id === eventId));
    const event = account?.events.find((e) => e.id === eventId);
    if (!account || !event) throw new Error(`no event ${eventId}`);
    this.webhooks.resend(event, targets(subscribers(account, event.type)));
  }

  holdDeliveries(): void {
    this.webhooks.hold();
  }

  releaseDeliveries(order?: (events: StripeEvent[]) => StripeEvent[]): Promise<void> {
    return this.webhooks.release(order);
  }

  /** Resolves when every webhook sent so far has been answered (retries included). */
  settled(): Promise<void> {
    return this.webhooks.settled();
  }

  private publish(account: StripeAccount, event: StripeEvent): void {
    const endpoints = subscribers(account, event.type);
    event.pending_webhooks = endpoints.length;
    this.webhooks.send(event, targets(endpoints));
  }

  /** What Stripe does 24 hours after a request: its Idempotency-Key is forgotten (a retry then creates anew). */
  forgetIdempotencyKeys(): void {
    this.idempotent.clear();
  }

  protected isFaultable(req: FakeRequest): boolean {
    return req.path.startsWith('/v1/');
  }

  protected resetState(): void {
    for (const account of this.accounts.values()) clearAccount(account);
    this.idempotent.clear();
    this.webhooks.reset();
  }

  /** POST /__fake/<action>: the same switches over HTTP for a demo or another process. */
  protected override control(action: string, input: Record<string, unknown>): unknown {
    const key = typeof input.secretKey === 'string' ? input.secretKey : undefined;
    const count = input.count === undefined ? undefined : Number(input.count);
    const actions: Record<string, () => unknown> = {
      'clock/advance': () => this.advanceClock(Number(input.seconds), key),
      'clock/set': () => this.setClock(Number(input.time), key),
      payments: () => this.setPaymentOutcome(String(input.customer), input.outcome === 'succeed' ? 'succeed' : 'fail', count),
      'deliveries/hold': () => this.holdDeliveries(),
      'deliveries/release': () => this.releaseDeliveries(input.reverse ? (events) => [...events].reverse() : undefined),
      'events/redeliver': () => this.redeliver(String(input.id)),
    };
    const run = actions[action];
    if (!run) return undefined;
    run();
    return true;
  }

  /** GET /__fake/state: per account, the clock, the events and every webhook delivery. */
  protected override state(): unknown {
    const accounts = [...this.accounts.values()].map((a) => ({ key: `${a.secretKey.slice(0, 12)}…`, now: a.clock.now, events: a.events.map((e) => ({ id: e.id, type: e.type, created: e.created })) }));
    return { pagesUrl: this.pagesUrl, accounts, deliveries: this.webhooks.log };
  }

  protected errorBody(status: number, code: number | string | undefined, message: string): unknown {
    const type = status >= 500 ? 'api_error' : 'invalid_request_error';
    return { error: { type, message, ...(code !== undefined && { code: String(code) }) } };
  }

  protected handle(req: FakeRequest): Reply {
    const account = this.accountFor(req);
    if (!account) return { status: 401, body: this.errorBody(401, undefined, 'Invalid API Key provided: sk_test_***') };
    const match = this.match(req);
    if (!match) return { status: 404, body: this.errorBody(404, undefined, `Unrecognized request URL (${req.method}: ${req.path})`) };
    const key = req.headers['idempotency-key'];
    const idempotencyKey = typeof key === 'string' && req.method === 'POST' ? `${account.secretKey}:${key}` : undefined;
    const replayed = idempotencyKey ? this.idempotent.get(idempotencyKey) : undefined;
    if (replayed) {
      if (replayed.fingerprint !== req.path + req.rawBody) {
        return { status: 400, body: { error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.' } } };
      }
      return { ...replayed.reply, headers: { 'idempotent-replayed': 'true' } };
    }
    const params = parseStripeForm(req.method === 'POST' ? req.formParams : req.query);
    const answer = match.route.handle({ ...this.billing(account), params }, ...match.ids);
    const reply = answer.status === 200 && params.expand ? { ...answer, body: expandBody(account, answer.body, params.expand) } : answer;
    if (idempotencyKey && reply.status < 500) this.idempotent.set(idempotencyKey, { fingerprint: req.path + req.rawBody, reply });
    return reply;
  }

  private match(req: FakeRequest): { route: Route; ids: string[] } | undefined {
    for (const candidate of ROUTES) {
      const found = candidate.method === req.method ? candidate.path.exec(req.path) : null;
      if (found) return { route: candidate, ids: found.slice(1) };
    }
    return undefined;
  }

  private accountFor(req: FakeRequest): StripeAccount | undefined {
    const header = req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1];
    const basic = /^Basic\s+(.+)$/i.exec(header)?.[1];
    const key = bearer ?? (basic ? Buffer.from(basic, 'base64').toString('utf8').split(':')[0] : undefined);
    return key ? this.accounts.get(key) : undefined;
  }
}

const targets = (endpoints: WebhookEndpoint[]) => endpoints.map((e) => ({ id: e.id, url: e.url, secret: e._secret }));

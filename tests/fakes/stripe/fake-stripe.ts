// A fake of the Stripe API for tests and demos: products, prices and payment links per account (secret
// key), Basic or Bearer key check, Idempotency-Key replay like Stripe's, fault switches from
// ../support/faults.ts. Point the official SDK at it:
// `new Stripe(key, { host: '127.0.0.1', port: fake.port, protocol: 'http' })`.
import { randomBytes } from 'node:crypto';
import { FakeProviderServer, type FakeRequest, type Reply } from '../support/fake-server.js';
import { parseStripeForm, type FormValue } from './form.js';

export type StripeAccount = { secretKey: string; products: Map<string, Obj>; prices: Map<string, Obj>; paymentLinks: Map<string, Obj> };
type Obj = Record<string, unknown>;
type Params = Record<string, FormValue>;

export const stripeId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
export const stripeTestKey = () => `sk_test_${randomBytes(18).toString('hex')}`;

const ROUTE = /^\/v1\/(products|prices|payment_links)(?:\/([A-Za-z0-9_]+))?$/;

export class FakeStripe extends FakeProviderServer {
  readonly accounts = new Map<string, StripeAccount>();
  private readonly idempotent = new Map<string, { fingerprint: string; reply: Reply }>();

  static async start(options: { secretKeys?: string[]; port?: number } = {}): Promise<FakeStripe> {
    const fake = new FakeStripe();
    for (const key of options.secretKeys ?? []) fake.addAccount(key);
    return fake.listen(options.port ?? 0);
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  addAccount(secretKey = stripeTestKey()): StripeAccount {
    const account = { secretKey, products: new Map(), prices: new Map(), paymentLinks: new Map() };
    this.accounts.set(secretKey, account);
    return account;
  }

  /** All payment links created in the fake, across accounts. */
  paymentLinks(): Obj[] {
    return [...this.accounts.values()].flatMap((a) => [...a.paymentLinks.values()]);
  }

  protected isFaultable(req: FakeRequest): boolean {
    return ROUTE.test(req.path);
  }

  protected resetState(): void {
    for (const account of this.accounts.values()) {
      account.products.clear();
      account.prices.clear();
      account.paymentLinks.clear();
    }
    this.idempotent.clear();
  }

  protected errorBody(status: number, code: number | string | undefined, message: string): unknown {
    const type = status === 401 ? 'invalid_request_error' : status >= 500 ? 'api_error' : status === 429 ? 'invalid_request_error' : 'invalid_request_error';
    return { error: { type, message, ...(code !== undefined && { code: String(code) }) } };
  }

  protected handle(req: FakeRequest): Reply {
    const account = this.accountFor(req);
    if (!account) return { status: 401, body: this.errorBody(401, undefined, 'Invalid API Key provided: sk_test_***') };
    const route = ROUTE.exec(req.path);
    if (!route) return { status: 404, body: this.errorBody(404, undefined, `Unrecognized request URL (${req.method}: ${req.path})`) };
    const key = req.headers['idempotency-key'];
    const idempotencyKey = typeof key === 'string' && req.method === 'POST' ? `${account.secretKey}:${key}` : undefined;
    const replayed = idempotencyKey ? this.idempotent.get(idempotencyKey) : undefined;
    if (replayed) {
      if (replayed.fingerprint !== req.path + req.rawBody) {
        return { status: 400, body: { error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.' } } };
      }
      return { ...replayed.reply, headers: { 'idempotent-replayed': 'true' } };
    }
    const params = parseStripeForm(req.method === 'GET' ? req.query : req.formParams);
    const reply = this.route(account, req.method, route[1]!, route[2], params);
    if (idempotencyKey && reply.status < 500) this.idempotent.set(idempotencyKey, { fingerprint: req.path + req.rawBody, reply });
    return reply;
  }

  private accountFor(req: FakeRequest): StripeAccount | undefined {
    const header = req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1];
    const basic = /^Basic\s+(.+)$/i.exec(header)?.[1];
    const key = bearer ?? (basic ? Buffer.from(basic, 'base64').toString('utf8').split(':')[0] : undefined);
    return key ? this.accounts.get(key) : undefined;
  }

  private route(account: StripeAccount, method: string, resource: string, id: string | undefined, params: Params): Reply {
    const store = resource === 'products' ? account.products : resource === 'prices' ? account.prices : account.paymentLinks;
    if (id) {
      const found = store.get(id);
      if (!found) return missing(resource, id, 404);
      if (method === 'POST' && resource === 'payment_links' && params.active !== undefined) found.active = params.active === 'true';
      return { status: 200, body: resource === 'payment_links' ? this.expandLink(account, found, params) : found };
    }
    if (method !== 'POST') return { status: 405, body: this.errorBody(405, undefined, 'Listing is not faked') };
    if (resource === 'products') return created(store, this.product(params));
    if (resource === 'prices') return this.createPrice(account, params);
    return this.createPaymentLink(account, params);
  }

  private product(params: Params): Obj {
    if (typeof params.name !== 'string') throw new Error('name is required');
    return { id: stripeId('prod'), object: 'product', name: params.name, active: true, metadata: params.metadata ?? {}, livemode: false };
  }

  private createPrice(account: StripeAccount, params: Params): Reply {
    let productId = params.product as string | undefined;
    if (!productId && params.product_data) {
      const product = this.product(params.product_data as Params);
      account.products.set(product.id as string, product);
      productId = product.id as string;
    }
    if (!productId || !account.products.has(productId)) return missing('product', productId ?? '(none)', 400, 'product');
    if (typeof params.currency !== 'string' || !/^[a-z]{3}$/.test(params.currency)) return invalid('currency', 'Invalid currency');
    const unitAmount = Number(params.unit_amount);
    if (!Number.isInteger(unitAmount) || unitAmount < 0) return invalid('unit_amount', 'Invalid integer');
    const price = { id: stripeId('price'), object: 'price', active: true, currency: params.currency, unit_amount: unitAmount, product: productId, type: 'one_time', livemode: false };
    return created(account.prices, price);
  }

  private createPaymentLink(account: StripeAccount, params: Params): Reply {
    const items = (params.line_items ?? []) as Params[];
    if (!Array.isArray(items) || items.length === 0) return invalid('line_items', 'Missing required param: line_items.');
    for (const item of items) {
      if (!account.prices.has(item.price as string)) return missing('price', String(item.price), 400, 'line_items[0][price]');
    }
    const id = stripeId('plink');
    const link = {
      id, object: 'payment_link', active: true, livemode: false, currency: account.prices.get(items[0]!.price as string)!.currency,
      url: `${this.url}/pay/test_${id.slice(6)}`, metadata: params.metadata ?? {},
      line_items_data: items.map((item) => ({ price: item.price, quantity: Number(item.quantity ?? 1) })),
    };
    return created(account.paymentLinks, link);
  }

  /** Stripe only returns line_items when asked with expand[]=line_items. */
  private expandLink(account: StripeAccount, link: Obj, params: Params): Obj {
    const { line_items_data: items, ...rest } = link as Obj & { line_items_data: { price: string; quantity: number }[] };
    const expand = Object.values((params.expand ?? []) as FormValue[]);
    if (!expand.includes('line_items')) return rest;
    const data = items.map((item) => ({ object: 'item', id: stripeId('li'), price: account.prices.get(item.price), quantity: item.quantity }));
    return { ...rest, line_items: { object: 'list', data, has_more: false, url: `/v1/payment_links/${link.id}/line_items` } };
  }
}

function created(store: Map<string, Obj>, object: Obj): Reply {
  store.set(object.id as string, object);
  const { line_items_data: _hidden, ...visible } = object;
  return { status: 200, body: visible };
}

function missing(resource: string, id: string, status: number, param?: string): Reply {
  const singular = resource.replace(/s$/, '').replace('_', ' ');
  return { status, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${singular}: '${id}'`, param } } };
}

function invalid(param: string, message: string): Reply {
  return { status: 400, body: { error: { type: 'invalid_request_error', code: 'parameter_invalid', message, param } } };
}

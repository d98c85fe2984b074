// Products, prices (one-time and recurring) and payment links. Prices are immutable except active,
// metadata, lookup_key and nickname, as at Stripe.
import type { Reply } from '../support/fake-server.js';
import type { Params } from './account.js';
import type { FormValue } from './form.js';
import { stripeId } from './ids.js';
import { flag, integer, invalid, isReply, listOf, mergeMetadata, missing, ok, required, text, unknownParameters } from './replies.js';
import { route, type Ctx } from './routes.js';
import type { Interval, Price, Product } from './types.js';

const INTERVALS: Interval[] = ['day', 'week', 'month', 'year'];

function newProduct(ctx: Ctx, params: Params): Product | Reply {
  const name = text(params.name);
  if (!name) return required('name');
  const now = ctx.now();
  const product: Product = {
    id: text(params.id) ?? stripeId('prod'), object: 'product', active: flag(params.active) ?? true, created: now, updated: now, name,
    description: text(params.description) ?? null, metadata: mergeMetadata({}, params.metadata), default_price: null, images: [],
    livemode: false, type: 'service', url: null,
  };
  ctx.account.products.set(product.id, product);
  return product;
}

function updateProduct(ctx: Ctx, id: string): Reply {
  const product = ctx.account.products.get(id);
  if (!product) return missing('product', id);
  const { params } = ctx;
  const refused = unknownParameters(params, ['name', 'description', 'active', 'metadata', 'default_price']);
  if (refused) return refused;
  if (params.name !== undefined) product.name = String(params.name);
  if (params.description !== undefined) product.description = params.description === '' ? null : String(params.description);
  product.active = flag(params.active) ?? product.active;
  product.metadata = mergeMetadata(product.metadata, params.metadata);
  if (params.default_price !== undefined) product.default_price = text(params.default_price) || null;
  product.updated = ctx.now();
  return ok(product);
}

function createPrice(ctx: Ctx): Reply {
  const { account, params } = ctx;
  let productId = text(params.product);
  if (!productId && params.product_data) {
    const product = newProduct(ctx, params.product_data as Params);
    if ('status' in product) return product;
    productId = product.id;
  }
  if (!productId || !account.products.has(productId)) return missing('product', productId ?? '(none)', 400, 'product');
  if (typeof params.currency !== 'string' || !/^[a-z]{3}$/.test(params.currency)) return invalid('currency', 'Invalid currency');
  const unitAmount = integer(params.unit_amount);
  if (unitAmount === undefined || !Number.isInteger(unitAmount)) return invalid('unit_amount', 'Invalid integer');
  const recurring = params.recurring as Params | undefined;
  const interval = recurring?.interval as Interval | undefined;
  if (recurring && !INTERVALS.includes(interval!)) return invalid('recurring[interval]', 'Invalid recurring[interval]: must be one of day, week, month, or year');
  const intervalCount = integer(recurring?.interval_count) ?? 1;
  if (!Number.isInteger(intervalCount) || intervalCount < 1) return invalid('recurring[interval_count]', 'Invalid integer');
  const lookupKey = claimLookupKey(ctx, text(params.lookup_key), flag(params.transfer_lookup_key) ?? false);
  if (isReply(lookupKey)) return lookupKey;
  const price: Price = {
    id: stripeId('price'), object: 'price', active: flag(params.active) ?? true, billing_scheme: 'per_unit', created: ctx.now(),
    currency: params.currency, livemode: false, lookup_key: lookupKey, metadata: mergeMetadata({}, params.metadata),
    nickname: text(params.nickname) ?? null, product: productId, type: recurring ? 'recurring' : 'one_time',
    recurring: recurring ? { interval: interval!, interval_count: intervalCount, usage_type: 'licensed', meter: null, trial_period_days: null } : null,
    tax_behavior: 'unspecified', unit_amount: unitAmount, unit_amount_decimal: String(unitAmount),
  };
  account.prices.set(price.id, price);
  return ok(price);
}

/** A lookup key names one price; `transfer_lookup_key` moves it from the price that has it. */
function claimLookupKey(ctx: Ctx, key: string | undefined, transfer: boolean): string | null | Reply {
  if (!key) return null;
  const holder = [...ctx.account.prices.values()].find((price) => price.lookup_key === key);
  if (holder && !transfer) return invalid('lookup_key', `A price (\`${holder.id}\`) already uses that lookup key.`);
  if (holder) holder.lookup_key = null;
  return key;
}

function updatePrice(ctx: Ctx, id: string): Reply {
  const price = ctx.account.prices.get(id);
  if (!price) return missing('price', id);
  const { params } = ctx;
  const refused = unknownParameters(params, ['active', 'metadata', 'lookup_key', 'nickname', 'transfer_lookup_key']);
  if (refused) return refused;
  if (params.lookup_key !== undefined && params.lookup_key !== price.lookup_key) {
    const key = claimLookupKey(ctx, text(params.lookup_key), flag(params.transfer_lookup_key) ?? false);
    if (isReply(key)) return key;
    price.lookup_key = key;
  }
  price.active = flag(params.active) ?? price.active;
  price.metadata = mergeMetadata(price.metadata, params.metadata);
  if (params.nickname !== undefined) price.nickname = text(params.nickname) || null;
  return ok(price);
}

function listPrices(ctx: Ctx): Reply {
  const { params } = ctx;
  const active = flag(params.active);
  const interval = (params.recurring as Params | undefined)?.interval;
  const lookupKeys = params.lookup_keys ? Object.values(params.lookup_keys as FormValue[]) : undefined;
  const prices = [...ctx.account.prices.values()].filter((price) =>
    (active === undefined || price.active === active) && (params.product === undefined || price.product === params.product)
    && (params.currency === undefined || price.currency === params.currency) && (params.type === undefined || price.type === params.type)
    && (interval === undefined || price.recurring?.interval === interval) && (!lookupKeys || lookupKeys.includes(price.lookup_key ?? '')));
  return listOf(prices, params, '/v1/prices');
}

function listProducts(ctx: Ctx): Reply {
  const active = flag(ctx.params.active);
  const ids = ctx.params.ids ? Object.values(ctx.params.ids as FormValue[]) : undefined;
  const products = [...ctx.account.products.values()].filter((p) => (active === undefined || p.active === active) && (!ids || ids.includes(p.id)));
  return listOf(products, ctx.params, '/v1/products');
}

function createPaymentLink(ctx: Ctx): Reply {
  const { account, params } = ctx;
  const items = (params.line_items ?? []) as Params[];
  if (!Array.isArray(items) || items.length === 0) return invalid('line_items', 'Missing required param: line_items.');
  for (const item of items) {
    if (!account.prices.has(item.price as string)) return missing('price', String(item.price), 400, 'line_items[0][price]');
  }
  const id = stripeId('plink');
  const link = {
    id, object: 'payment_link', active: true, livemode: false, currency: account.prices.get(items[0]!.price as string)!.currency,
    url: `${ctx.pagesUrl}/pay/test_${id.slice(6)}`, metadata: params.metadata ?? {},
    _lineItems: items.map((item) => ({ price: item.price as string, quantity: Number(item.quantity ?? 1) })),
  };
  account.paymentLinks.set(id, link);
  return ok(link);
}

/** Stripe only returns line_items when asked with expand[]=line_items. */
function paymentLink(ctx: Ctx, id: string): Reply {
  const link = ctx.account.paymentLinks.get(id) as (Record<string, unknown> & { _lineItems: { price: string; quantity: number }[] }) | undefined;
  if (!link) return missing('payment_links', id);
  if (ctx.params.active !== undefined) link.active = ctx.params.active === 'true';
  const expand = Object.values((ctx.params.expand ?? []) as FormValue[]);
  if (!expand.includes('line_items')) return ok(link);
  const data = link._lineItems.map((item) => ({ object: 'item', id: stripeId('li'), price: ctx.account.prices.get(item.price), quantity: item.quantity }));
  return ok({ ...link, line_items: { object: 'list', data, has_more: false, url: `/v1/payment_links/${id}/line_items` } });
}

export const catalogueRoutes = [
  route('POST', '/v1/products', (ctx) => { const product = newProduct(ctx, ctx.params); return 'status' in product ? product : ok(product); }),
  route('GET', '/v1/products', listProducts),
  route('GET', '/v1/products/:id', (ctx, id) => { const product = ctx.account.products.get(id); return product ? ok(product) : missing('product', id); }),
  route('POST', '/v1/products/:id', updateProduct),
  route('POST', '/v1/prices', createPrice),
  route('GET', '/v1/prices', listPrices),
  route('GET', '/v1/prices/:id', (ctx, id) => { const price = ctx.account.prices.get(id); return price ? ok(price) : missing('price', id); }),
  route('POST', '/v1/prices/:id', updatePrice),
  route('POST', '/v1/payment_links', createPaymentLink),
  route('GET', '/v1/payment_links/:id', paymentLink),
  route('POST', '/v1/payment_links/:id', paymentLink),
];

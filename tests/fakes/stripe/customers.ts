// Customers: create, retrieve, update, list; a test card token (payment_method=pm_card_visa) becomes the
// default payment method, as in Stripe's test mode.
import type { Billing } from './account.js';
import { stripeId } from './ids.js';
import { attachCard } from './payments.js';
import { listOf, mergeMetadata, missing, ok, text, unknownParameters } from './replies.js';
import { route, type Ctx } from './routes.js';
import type { Customer } from './types.js';

export function createCustomer(b: Billing, fields: { email?: string | null; name?: string | null; card?: string; metadata?: Customer['metadata'] }): Customer {
  const customer: Customer = {
    id: stripeId('cus'), object: 'customer', balance: 0, created: b.now(), currency: null, delinquent: false, description: null,
    email: fields.email ?? null, name: fields.name ?? null, phone: null, livemode: false, metadata: fields.metadata ?? {},
    invoice_prefix: stripeId('x').slice(2, 10).toUpperCase(),
    invoice_settings: { default_payment_method: fields.card ? attachCard(b.account, fields.card) : null, custom_fields: null, footer: null },
  };
  b.account.customers.set(customer.id, customer);
  b.emit('customer.created', customer);
  return customer;
}

const FIELDS = ['email', 'name', 'description', 'phone', 'metadata', 'payment_method', 'invoice_settings'];

function create(ctx: Ctx) {
  const refused = unknownParameters(ctx.params, FIELDS);
  if (refused) return refused;
  const settings = ctx.params.invoice_settings as Record<string, string> | undefined;
  const customer = createCustomer(ctx, {
    email: text(ctx.params.email), name: text(ctx.params.name), metadata: mergeMetadata({}, ctx.params.metadata),
    card: settings?.default_payment_method ?? text(ctx.params.payment_method),
  });
  customer.description = text(ctx.params.description) ?? null;
  customer.phone = text(ctx.params.phone) ?? null;
  return ok(customer);
}

function update(ctx: Ctx, id: string) {
  const customer = ctx.account.customers.get(id);
  if (!customer) return missing('customer', id);
  const refused = unknownParameters(ctx.params, FIELDS);
  if (refused) return refused;
  const before = structuredClone(customer);
  const { params } = ctx;
  for (const field of ['email', 'name', 'description', 'phone'] as const) {
    if (params[field] !== undefined) customer[field] = text(params[field]) || null;
  }
  customer.metadata = mergeMetadata(customer.metadata, params.metadata);
  const card = (params.invoice_settings as Record<string, string> | undefined)?.default_payment_method;
  if (card !== undefined) customer.invoice_settings.default_payment_method = card ? attachCard(ctx.account, card) : null;
  const previous = Object.fromEntries(Object.entries(before).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(customer[key as keyof Customer])));
  if (Object.keys(previous).length > 0) ctx.emit('customer.updated', customer, previous);
  return ok(customer);
}

function list(ctx: Ctx) {
  const email = text(ctx.params.email);
  return listOf([...ctx.account.customers.values()].filter((c) => !email || c.email === email), ctx.params, '/v1/customers');
}

export const customerRoutes = [
  route('POST', '/v1/customers', create),
  route('GET', '/v1/customers', list),
  route('GET', '/v1/customers/:id', (ctx, id) => { const c = ctx.account.customers.get(id); return c ? ok(c) : missing('customer', id); }),
  route('POST', '/v1/customers/:id', update),
];

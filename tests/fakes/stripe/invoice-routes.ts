// Invoices and invoice items over the API: list (customer, subscription, status), retrieve, pay now.
import { finalizeInvoice, payInvoice } from './invoices.js';
import { cardDeclined, flag, invalid, listOf, missing, ok, text } from './replies.js';
import { route, type Ctx } from './routes.js';

function list(ctx: Ctx) {
  const { customer, subscription, status } = ctx.params;
  const invoices = [...ctx.account.invoices.values()].filter((invoice) => (customer === undefined || invoice.customer === customer)
    && (subscription === undefined || invoice.parent?.subscription_details.subscription === subscription) && (status === undefined || invoice.status === status));
  return listOf(invoices, ctx.params, '/v1/invoices');
}

/** Stripe answers a declined payment with 402 card_error and leaves the invoice open. */
function pay(ctx: Ctx, id: string) {
  const invoice = ctx.account.invoices.get(id);
  if (!invoice) return missing('invoice', id);
  if (invoice.status === 'paid') return invalid('invoice', 'Invoice is already paid');
  if (invoice.status === 'void') return invalid('invoice', 'You cannot pay a void invoice.');
  const charge = payInvoice(ctx, invoice, false);
  return charge.paid ? ok(invoice) : cardDeclined(charge.reason);
}

function finalize(ctx: Ctx, id: string) {
  const invoice = ctx.account.invoices.get(id);
  if (!invoice) return missing('invoice', id);
  if (invoice.status !== 'draft') return invalid('invoice', 'This invoice is already finalized, you can\'t re-finalize a non-draft invoice.');
  finalizeInvoice(ctx, invoice);
  return ok(invoice);
}

function listItems(ctx: Ctx) {
  const pending = flag(ctx.params.pending);
  const customer = text(ctx.params.customer);
  const items = [...ctx.account.invoiceItems.values()].filter((ii) => (!customer || ii.customer === customer) && (pending === undefined || (ii.invoice === null) === pending));
  return listOf(items, ctx.params, '/v1/invoiceitems');
}

export const invoiceRoutes = [
  route('GET', '/v1/invoices', list),
  route('GET', '/v1/invoices/:id', (ctx, id) => { const i = ctx.account.invoices.get(id); return i ? ok(i) : missing('invoice', id); }),
  route('POST', '/v1/invoices/:id/pay', pay),
  route('POST', '/v1/invoices/:id/finalize', finalize),
  route('GET', '/v1/invoiceitems', listItems),
];

// The hosted pages Stripe serves from its own hosts (checkout.stripe.com, billing.stripe.com,
// invoice.stripe.com): a second small HTTP server beside the API.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Billing, StripeAccount } from './account.js';
import { payCheckout } from './checkout.js';
import type { FakeStripe } from './fake-stripe.js';
import { checkoutPage, invoicePage, invoicePdf, portalPage } from './html.js';
import { payInvoice } from './invoices.js';
import { setCancelAtPeriodEnd } from './subscription-events.js';

export type Page = { status: number; html?: string; body?: Buffer; type?: string; location?: string };

export class HostedPages {
  url = '';
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly fake: FakeStripe, private readonly server: Server) {}

  static async start(fake: FakeStripe, port: number, host = '127.0.0.1'): Promise<HostedPages> {
    const pages: HostedPages = new HostedPages(fake, createServer((req, res) => void pages.serve(req, res)));
    pages.server.on('connection', (socket) => {
      pages.sockets.add(socket);
      socket.on('close', () => pages.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => pages.server.listen(port, host, resolve));
    pages.url = `http://${host}:${(pages.server.address() as AddressInfo).port}`;
    return pages;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', this.url);
    let page: Page;
    try {
      page = this.route(req.method ?? 'GET', url.pathname, new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    } catch (err) {
      page = { status: 500, html: `<p>${String(err)}</p>` };
    }
    if (page.location) res.setHeader('location', page.location);
    res.writeHead(page.status, { 'content-type': page.type ?? 'text/html; charset=utf-8' }).end(page.body ?? page.html ?? '');
  }

  private route(method: string, path: string, form: URLSearchParams): Page {
    const [, kind, id, ...rest] = path.split('/');
    const account = id ? this.accountHolding(id) : undefined;
    if (!account || !id) return { status: 404, html: '<h1>Not found</h1>' };
    const b = this.fake.billing(account);
    if (kind === 'checkout') return checkoutRoute(b, id, method, rest, form);
    if (kind === 'billing_portal') return portalRoute(b, id, method, rest);
    if (kind === 'invoices' && method === 'GET') return invoiceRoute(b, id, rest);
    return { status: 404, html: '<h1>Not found</h1>' };
  }

  private accountHolding(id: string): StripeAccount | undefined {
    try {
      return this.fake.accountOf(id);
    } catch {
      return undefined;
    }
  }
}

function checkoutRoute(b: Billing, id: string, method: string, rest: string[], form: URLSearchParams): Page {
  const session = b.account.checkoutSessions.get(id)!;
  const price = b.account.prices.get(session._lineItems[0]!.price)!;
  const product = b.account.products.get(price.product);
  if (method === 'GET' && rest.length === 0) return { status: 200, html: checkoutPage(session, price, product) };
  if (method !== 'POST' || rest[0] !== 'pay') return { status: 404, html: '<h1>Not found</h1>' };
  const result = payCheckout(b, session, form.get('card') === 'failing' ? 'failing' : 'good', form.get('email') ?? undefined);
  if (result.completed) return { status: 303, location: result.redirect };
  return { status: 402, html: checkoutPage(session, price, product, result.error) };
}

function portalRoute(b: Billing, id: string, method: string, rest: string[]): Page {
  const session = b.account.portalSessions.get(id)!;
  let error: string | undefined;
  if (method === 'POST') {
    const [what, targetId, action] = rest;
    const subscription = what === 'subscriptions' ? b.account.subscriptions.get(targetId ?? '') : undefined;
    const invoice = what === 'invoices' ? b.account.invoices.get(targetId ?? '') : undefined;
    if (subscription?.customer === session.customer && (action === 'cancel' || action === 'renew')) setCancelAtPeriodEnd(b, subscription, action === 'cancel');
    else if (invoice?.customer === session.customer && action === 'pay' && invoice.status === 'open') {
      const charge = payInvoice(b, invoice, false);
      if (!charge.paid) error = charge.reason;
    } else return { status: 404, html: '<h1>Not found</h1>' };
    if (!error) return { status: 303, location: `/billing_portal/${id}` };
  }
  const customer = b.account.customers.get(session.customer);
  const subscriptions = [...b.account.subscriptions.values()].filter((s) => s.customer === session.customer).reverse()
    .map((subscription) => ({ subscription, name: b.account.products.get(subscription.items.data[0]!.price.product)?.name ?? 'Subscription' }));
  const invoices = [...b.account.invoices.values()].filter((i) => i.customer === session.customer && i.status !== 'draft').reverse();
  return { status: error ? 402 : 200, html: portalPage({ sessionId: id, email: customer?.email ?? null, returnUrl: session.return_url, subscriptions, invoices, error }) };
}

function invoiceRoute(b: Billing, id: string, rest: string[]): Page {
  const invoice = b.account.invoices.get(id)!;
  if (invoice.status === 'draft') return { status: 404, html: '<h1>Not found</h1>' };
  if (rest[0] === 'pdf') return { status: 200, body: invoicePdf(invoice), type: 'application/pdf' };
  return { status: 200, html: invoicePage(invoice) };
}

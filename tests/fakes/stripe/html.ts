// The hosted pages' markup: plain HTML a person (or a browser test) can read and click through.
import type { CheckoutSession, Invoice, Price, Product, Subscription } from './types.js';

const escape = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const ZERO_DECIMAL = new Set(['jpy', 'krw', 'vnd', 'clp', 'xof', 'xaf']);

/** Minor units as the currency is written: 4900 usd → "49.00 USD" (integers only). */
export function money(amount: number, currency: string): string {
  if (ZERO_DECIMAL.has(currency)) return `${amount} ${currency.toUpperCase()}`;
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')} ${currency.toUpperCase()}`;
}

const date = (seconds: number | null) => (seconds === null ? '' : new Date(seconds * 1000).toISOString().slice(0, 10));

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}
button{padding:.6rem 1rem;margin:.25rem 0}.error{color:#b00020}table{width:100%;border-collapse:collapse}td,th{text-align:left;padding:.25rem}</style>
</head><body>${body}</body></html>`;
}

export function checkoutPage(session: CheckoutSession, price: Price, product: Product | undefined, error?: string): string {
  if (session.status !== 'open') return page('Checkout', `<h1>This checkout is ${escape(session.status)}</h1>`);
  const item = session._lineItems[0]!;
  const trial = session._trialDays ? `<p data-testid="trial">${session._trialDays} days free, then</p>` : '';
  const email = session.customer || session.customer_email ? '' : '<label>Email <input name="email" type="email" value="buyer@example.com"></label>';
  return page(`Subscribe to ${product?.name ?? price.product}`, `<h1>Subscribe to ${escape(product?.name ?? price.product)}</h1>
${trial}<p data-testid="amount">${escape(money(price.unit_amount * item.quantity, price.currency))} per ${escape(price.recurring?.interval)}</p>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/checkout/${escape(session.id)}/pay">${email}<input type="hidden" name="card" value="good"><button type="submit">Pay</button></form>
<form method="post" action="/checkout/${escape(session.id)}/pay"><input type="hidden" name="card" value="failing"><button type="submit">Pay with a failing card</button></form>
${session.cancel_url ? `<p><a href="${escape(session.cancel_url)}">Back</a></p>` : ''}`);
}

export type PortalView = { sessionId: string; email: string | null; returnUrl: string | null; subscriptions: { subscription: Subscription; name: string }[]; invoices: Invoice[]; error?: string };

export function portalPage(view: PortalView): string {
  const action = (path: string, label: string) => `<form method="post" action="/billing_portal/${escape(view.sessionId)}/${path}"><button type="submit">${escape(label)}</button></form>`;
  const subscriptions = view.subscriptions.map(({ subscription: s, name }) => {
    const item = s.items.data[0]!;
    const live = !['canceled', 'incomplete_expired'].includes(s.status);
    const control = !live ? '' : s.cancel_at_period_end ? action(`subscriptions/${s.id}/renew`, 'Renew') : action(`subscriptions/${s.id}/cancel`, 'Cancel at period end');
    const ends = s.cancel_at_period_end ? `Cancels on ${date(s.cancel_at)}` : `Renews on ${date(item.current_period_end)}`;
    return `<li data-subscription="${escape(s.id)}"><strong>${escape(name)}</strong> — ${escape(money(item.price.unit_amount * item.quantity, item.price.currency))} per ${escape(item.price.recurring?.interval)} — <span data-testid="status">${escape(s.status)}</span>${live ? ` — ${ends}` : ''}${control}</li>`;
  }).join('');
  const invoices = view.invoices.map((i) => `<tr><td>${escape(i.number ?? 'draft')}</td><td>${date(i.created)}</td><td>${escape(money(i.amount_due, i.currency))}</td><td>${escape(i.status)}</td>
<td>${i.hosted_invoice_url ? `<a href="${escape(i.hosted_invoice_url)}">View</a>` : ''}${i.status === 'open' ? action(`invoices/${i.id}/pay`, 'Pay') : ''}</td></tr>`).join('');
  return page('Billing', `<h1>Billing</h1><p>${escape(view.email)}</p>${view.error ? `<p class="error" role="alert">${escape(view.error)}</p>` : ''}
<h2>Subscriptions</h2><ul>${subscriptions || '<li>None</li>'}</ul>
<h2>Invoices</h2><table><tr><th>Number</th><th>Date</th><th>Amount</th><th>Status</th><th></th></tr>${invoices}</table>
${view.returnUrl ? `<p><a href="${escape(view.returnUrl)}">Back</a></p>` : ''}`);
}

export function invoicePage(invoice: Invoice): string {
  const lines = invoice.lines.data.map((l) => `<tr><td>${escape(l.description)}</td><td>${escape(money(l.amount, l.currency))}</td></tr>`).join('');
  return page(`Invoice ${invoice.number ?? ''}`, `<h1>Invoice ${escape(invoice.number)}</h1><p>Status: ${escape(invoice.status)}</p>
<p>Period ${date(invoice.period_start)} – ${date(invoice.period_end)}</p><table>${lines}</table>
<p>Amount due: <strong>${escape(money(invoice.amount_due, invoice.currency))}</strong>; paid: ${escape(money(invoice.amount_paid, invoice.currency))}</p>
${invoice.invoice_pdf ? `<p><a href="${escape(invoice.invoice_pdf)}">Download PDF</a></p>` : ''}`);
}

/** A one-page PDF with the invoice's lines of text (Helvetica), small but valid (xref offsets computed). */
export function invoicePdf(invoice: Invoice): Buffer {
  const text = [`Invoice ${invoice.number ?? ''}`, `Status: ${invoice.status}`, ...invoice.lines.data.map((l) => `${l.description}: ${money(l.amount, l.currency)}`),
    `Amount due: ${money(invoice.amount_due, invoice.currency)}`, `Amount paid: ${money(invoice.amount_paid, invoice.currency)}`];
  const stream = `BT /F1 12 Tf 50 780 Td 16 TL ${text.map((t) => `(${t.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?')}) '`).join(' ')} ET`;
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((object, i) => {
    const offset = pdf.length;
    pdf += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

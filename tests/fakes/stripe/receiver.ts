// For tests of apps (and of the fake itself): a webhook receiver that verifies every delivery with the
// official SDK, and a form POST to the hosted pages (what a browser does when "Pay" is clicked).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

export type Received = { event: Stripe.Event; verified: true } | { error: string; verified: false };

/** Answers 200 to events whose Stripe-Signature verifies with `secret`, 400 otherwise; `failNext` answers 500 instead. */
export class WebhookReceiver {
  readonly received: Received[] = [];
  url = '';
  failNext = 0;
  private server?: Server;

  constructor(public secret: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (this.failNext > 0) {
          this.failNext -= 1;
          return void res.writeHead(500).end();
        }
        try {
          const event = Stripe.webhooks.constructEvent(Buffer.concat(chunks), String(req.headers['stripe-signature']), this.secret);
          this.received.push({ event, verified: true });
          res.writeHead(200).end('{}');
        } catch (err) {
          this.received.push({ error: String(err), verified: false });
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/stripe`;
    return this;
  }

  events(): Stripe.Event[] {
    return this.received.flatMap((r) => (r.verified ? [r.event] : []));
  }

  types(): string[] {
    return this.events().map((e) => e.type);
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Submits a hosted page's form as a browser would (no redirect following, so the test sees the 303). */
export async function submitForm(url: string, fields: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
}

const unescape = (value: string) => value.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&');

/** The form whose submit button reads `label` on an HTML page: its action and its inputs' names and values. */
export function formWithButton(html: string, label: string): { action: string; fields: Record<string, string> } {
  const form = html.split('<form').slice(1).map((f) => f.split('</form>')[0]!).find((f) => f.includes(`>${label}</button>`));
  if (!form) throw new Error(`no form with a "${label}" button`);
  const fields: Record<string, string> = {};
  for (const input of form.match(/<input[^>]*>/g) ?? []) {
    const name = /name="([^"]*)"/.exec(input)?.[1];
    if (name) fields[unescape(name)] = unescape(/value="([^"]*)"/.exec(input)?.[1] ?? '');
  }
  return { action: unescape(/action="([^"]+)"/.exec(form)![1]!), fields };
}

/** Opens `pageUrl` and clicks the button labelled `label`, as a person would; answers the form's response (redirects not followed). */
export async function clickButton(pageUrl: string, label: string): Promise<Response> {
  const page = await fetch(pageUrl);
  const { action, fields } = formWithButton(await page.text(), label);
  return submitForm(new URL(action, pageUrl).toString(), fields);
}

// The hosted pages Stripe serves from its own hosts (checkout.stripe.com, billing.stripe.com,
// invoice.stripe.com): a second small HTTP server beside the API.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FakeStripe } from './fake-stripe.js';

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

  private route(_method: string, _path: string, _form: URLSearchParams): Page {
    void this.fake;
    return { status: 404, html: '<h1>Not found</h1>' };
  }
}

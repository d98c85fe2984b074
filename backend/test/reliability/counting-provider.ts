import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A messaging provider for the reliability runs: counts what it accepted per message id (the
 * "exactly once" ledger), answers lookups (reconcile), and misbehaves on purpose: latency (so a
 * SIGKILL lands mid-call) and a share of 503s (retries).
 */
export class CountingProvider {
  readonly accepted = new Map<string, { sid: string; count: number }>();
  calls = 0;
  private constructor(
    private readonly server: Server,
    private readonly options: { failureRate: number; latencyMs: [number, number] },
  ) {}

  static async start(options: { failureRate?: number; latencyMs?: [number, number] } = {}): Promise<CountingProvider> {
    const server = createServer();
    const provider = new CountingProvider(server, { failureRate: options.failureRate ?? 0.02, latencyMs: options.latencyMs ?? [5, 40] });
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => void provider.handle(req.method ?? 'GET', req.url ?? '/', Buffer.concat(chunks).toString('utf8')).then(([status, body]) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return provider;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async handle(method: string, path: string, body: string): Promise<[number, unknown]> {
    const [min, max] = this.options.latencyMs;
    await new Promise((resolve) => setTimeout(resolve, min + Math.random() * (max - min)));
    const lookup = /^\/messages\/([0-9a-f-]{36})$/.exec(path);
    if (method === 'GET' && lookup) {
      const found = this.accepted.get(lookup[1]!);
      return found ? [200, { sid: found.sid, status: 'sent' }] : [404, { message: 'not found' }];
    }
    if (method === 'POST' && path === '/messages') {
      this.calls += 1;
      if (Math.random() < this.options.failureRate) return [503, { message: 'try again' }];
      const { messageId } = JSON.parse(body) as { messageId: string };
      const existing = this.accepted.get(messageId);
      const entry = existing ? { ...existing, count: existing.count + 1 } : { sid: `SM${messageId.replace(/-/g, '')}`, count: 1 };
      this.accepted.set(messageId, entry);
      return [201, { sid: entry.sid, status: 'queued' }];
    }
    return [404, { message: 'no route' }];
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

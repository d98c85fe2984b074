// The skeleton every provider fake shares: a node:http server on port 0 (127.0.0.1), a request log,
// fault switches applied to "faultable" requests, and a small JSON control endpoint under /__fake/ so
// a demo or a benchmark in another process can flip the same switches the tests flip in code.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { faultFromJson, FaultSwitches } from './faults.js';

export type FakeRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: string;
  /** The form-encoded body (application/x-www-form-urlencoded), last value wins. */
  form: Record<string, string>;
  /** The same body with repeated keys kept (Twilio's StatusCallbackEvent=a&StatusCallbackEvent=b). */
  formParams: URLSearchParams;
};

export type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
export type LoggedRequest = Omit<FakeRequest, 'query' | 'headers' | 'rawBody' | 'formParams'> & {
  at: string;
  query: Record<string, string>;
  fault?: string;
  status?: number;
};

const CONTROL_PREFIX = '/__fake/';

export abstract class FakeProviderServer {
  readonly faults = new FaultSwitches();
  readonly requests: LoggedRequest[] = [];
  url = '';
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  async listen(port = 0, host = '127.0.0.1'): Promise<this> {
    this.server = createServer((req, res) => {
      this.dispatch(req, res).catch((err: unknown) => {
        if (!res.headersSent) reply(res, { status: 500, body: { message: String(err) } });
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Stops listening and cuts every connection, including requests left hanging on purpose. */
  async close(): Promise<void> {
    if (!this.server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** Clears the log, the switches and the provider's state. */
  reset(): void {
    this.requests.length = 0;
    this.faults.reset();
    this.resetState();
  }

  protected abstract handle(req: FakeRequest): Promise<Reply> | Reply;
  /** Requests the fault switches apply to (sends and calls, not reads). */
  protected abstract isFaultable(req: FakeRequest): boolean;
  /** The provider's own error body for a status and code. */
  protected abstract errorBody(status: number, code: number | string | undefined, message: string): unknown;
  protected abstract resetState(): void;
  /** Provider-specific control actions (POST /__fake/<action>); return undefined for unknown ones. */
  protected control(_action: string, _input: Record<string, unknown>): unknown {
    return undefined;
  }
  /** Provider-specific state for GET /__fake/state. */
  protected state(): unknown {
    return {};
  }

  private async dispatch(incoming: IncomingMessage, res: ServerResponse): Promise<void> {
    const req = await readRequest(incoming, this.url);
    if (req.path.startsWith(CONTROL_PREFIX)) return this.controlEndpoint(req, res);
    const logged: LoggedRequest = {
      at: new Date().toISOString(), method: req.method, path: req.path, query: Object.fromEntries(req.query), form: req.form,
    };
    this.requests.push(logged);
    const fault = this.isFaultable(req) ? this.faults.take() : undefined;
    logged.fault = fault?.kind;
    if (fault?.kind === 'timeout') return; // hang: no answer, nothing stored
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
    if (fault?.kind === 'fail') {
      return this.answer(res, logged, { status: fault.status, body: this.errorBody(fault.status, fault.code, fault.message ?? 'Injected failure') });
    }
    if (fault?.kind === 'rate_limit') {
      const body = this.errorBody(429, undefined, 'Too Many Requests');
      return this.answer(res, logged, { status: 429, body, headers: { 'retry-after': String(fault.retryAfterSeconds) } });
    }
    const result = await this.handle(req);
    if (fault?.kind === 'accept_then_hang') return; // the work is done; the answer never comes
    this.answer(res, logged, result);
  }

  private answer(res: ServerResponse, logged: LoggedRequest, result: Reply): void {
    logged.status = result.status;
    reply(res, result);
  }

  private controlEndpoint(req: FakeRequest, res: ServerResponse): void {
    const action = req.path.slice(CONTROL_PREFIX.length);
    const input = req.rawBody ? (JSON.parse(req.rawBody) as Record<string, unknown>) : {};
    try {
      if (req.method === 'GET' && action === 'requests') return reply(res, { status: 200, body: this.requests });
      if (req.method === 'GET' && action === 'state') return reply(res, { status: 200, body: this.state() });
      if (req.method !== 'POST') return reply(res, { status: 404, body: { error: 'unknown control action' } });
      if (action === 'reset') this.reset();
      else if (action === 'latency') this.faults.latencyMs = Number(input.ms ?? 0);
      else if (action === 'faults') {
        const { count, fault } = faultFromJson(input);
        this.faults.next(count, fault);
      } else if (this.control(action, input) === undefined) return reply(res, { status: 404, body: { error: 'unknown control action' } });
      reply(res, { status: 200, body: { ok: true } });
    } catch (err) {
      reply(res, { status: 400, body: { error: String(err) } });
    }
  }
}

async function readRequest(req: IncomingMessage, base: string): Promise<FakeRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks).toString('utf8');
  const url = new URL(req.url ?? '/', base);
  const isForm = (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
  const formParams = new URLSearchParams(isForm ? rawBody : '');
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    rawBody,
    form: Object.fromEntries(formParams),
    formParams,
  };
}

function reply(res: ServerResponse, result: Reply): void {
  const body = result.body === undefined ? '' : JSON.stringify(result.body);
  res.writeHead(result.status, { 'content-type': 'application/json', ...result.headers }).end(body);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createApi } from './api.js';

// A stand-in backend on port 0: each test sets how it answers the next request.
type Reply = (req: IncomingMessage, res: ServerResponse) => void;
let reply: Reply = (_req, res) => res.end();
let lastRequest: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string };
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    lastRequest = { method: req.method, url: req.url, headers: req.headers, body };
    reply(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const api = (timeoutMs = 1000) => createApi({ baseUrl, timeoutMs, requestId: 'req-123' });
const sendJson = (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
const caught = (promise: Promise<unknown>) => promise.then(() => expect.fail('expected an ApiError'), (err: unknown) => err);

describe('api client', () => {
  it('when the backend is ready, then it returns the readiness answer and forwards the request id', async () => {
    const readiness = { status: 'ok', checks: { postgres: { ok: true, latencyMs: 2 } } };
    reply = sendJson(200, readiness);

    await expect(api().getReadiness()).resolves.toEqual(readiness);
    expect(lastRequest.url).toBe('/readyz');
    expect(lastRequest.headers['x-request-id']).toBe('req-123');
  });

  it('when /readyz answers 503 with failing checks, then that is an answer, not an error', async () => {
    const readiness = { status: 'unavailable', checks: { redis: { ok: false, latencyMs: 2000, error: 'timeout' } } };
    reply = sendJson(503, readiness);

    await expect(api().getReadiness()).resolves.toEqual(readiness);
  });

  it('when the backend sends its error envelope, then the ApiError carries code, message, details and request id', async () => {
    const details = [{ path: 'body.email', message: 'Invalid email', code: 'invalid_format' }];
    reply = sendJson(400, { error: { code: 'VALIDATION_FAILED', message: 'The request is not valid', details, requestId: 'req-123' } });

    const err = await caught(api().login({ email: 'nope', password: 'x' }));

    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', message: 'The request is not valid', details, requestId: 'req-123' });
    expect((err as ApiError).fieldErrors()).toEqual({ email: 'Invalid email' });
    expect(lastRequest).toMatchObject({ method: 'POST', url: '/api/v1/auth/login' });
    expect(JSON.parse(lastRequest.body)).toEqual({ email: 'nope', password: 'x' });
  });

  it('when credentials are wrong, then a 401 becomes UNAUTHENTICATED', async () => {
    reply = sendJson(401, { error: { code: 'UNAUTHENTICATED', message: 'Wrong email or password' } });

    await expect(caught(api().login({ email: 'a@b.co', password: 'x' }))).resolves.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('when an error has no envelope (a proxy page), then it is a BAD_RESPONSE keeping the status', async () => {
    reply = (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html', 'x-request-id': 'from-backend' });
      res.end('<h1>Bad gateway</h1>');
    };

    await expect(caught(api().getReadiness())).resolves.toMatchObject({ status: 502, code: 'BAD_RESPONSE', requestId: 'from-backend' });
  });

  it('when a 2xx body is not the expected shape, then it is a BAD_RESPONSE', async () => {
    reply = sendJson(200, { hello: 'world' });

    await expect(caught(api().getReadiness())).resolves.toMatchObject({ status: 502, code: 'BAD_RESPONSE' });
  });

  it('when the backend does not answer in time, then it is a BACKEND_TIMEOUT', async () => {
    reply = () => {}; // never answers

    const err = await caught(api(100).getReadiness());

    expect(err).toMatchObject({ status: 504, code: 'BACKEND_TIMEOUT', isUnavailable: true, requestId: 'req-123' });
  });

  it('when nothing listens on the port, then it is BACKEND_UNREACHABLE', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    closed.close();
    await once(closed, 'close');

    const err = await caught(createApi({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 1000 }).getReadiness());

    expect(err).toMatchObject({ status: 503, code: 'BACKEND_UNREACHABLE', isUnavailable: true });
    expect((err as ApiError).message).toMatch(/ECONNREFUSED/);
  });
});

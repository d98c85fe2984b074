import { randomInt } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import type { Response } from 'supertest';

/**
 * A browser stand-in: keeps cookies (including Secure ones, which supertest's agent drops over plain
 * HTTP), echoes the CSRF cookie in x-csrf-token like the portal does, and has its own client IP.
 * `app` is an Express app (served on an ephemeral port per request) or the base URL of a running server.
 */
export class Browser {
  readonly cookies = new Map<string, string>();
  sendCsrf = true;

  constructor(
    private readonly app: Express | string,
    readonly ip = `10.${randomInt(255)}.${randomInt(255)}.${randomInt(1, 255)}`,
  ) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.remember(await this.prepare(request(this.app).get(path), headers));
  }
  async post(path: string, body?: object, headers: Record<string, string> = {}): Promise<Response> {
    const req = this.prepare(request(this.app).post(path), headers);
    return this.remember(await (body === undefined ? req : req.send(body)));
  }
  async delete(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.remember(await this.prepare(request(this.app).delete(path), headers));
  }

  /** Any method, with an optional query and JSON body (as the route matrices describe requests). */
  async send(
    method: 'get' | 'post' | 'put' | 'patch' | 'delete',
    path: string,
    input: { query?: Record<string, string>; body?: unknown } = {},
  ): Promise<Response> {
    let req = this.prepare(request(this.app)[method](path), {});
    if (input.query) req = req.query(input.query);
    return this.remember(await (input.body === undefined ? req : req.send(input.body as object)));
  }

  remember(res: Response): Response {
    const setCookies = res.headers['set-cookie'] as unknown as string[] | undefined;
    for (const line of setCookies ?? []) {
      const [pair] = line.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index);
      const value = decodeURIComponent(pair!.slice(index + 1));
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  async signIn(email: string, password: string): Promise<Response> {
    await this.fetchCsrf();
    return this.post('/api/v1/auth/login', { email, password });
  }

  async fetchCsrf(): Promise<string> {
    const res = await this.get('/api/v1/auth/csrf');
    return res.body.csrfToken as string;
  }

  private prepare(req: request.Test, headers: Record<string, string>): request.Test {
    req.set('x-forwarded-for', this.ip);
    if (this.cookies.size > 0) req.set('cookie', [...this.cookies].map(([n, v]) => `${n}=${encodeURIComponent(v)}`).join('; '));
    const csrf = this.cookies.get('sb_csrf');
    if (this.sendCsrf && csrf) req.set('x-csrf-token', csrf);
    for (const [name, value] of Object.entries(headers)) req.set(name, value);
    return req;
  }
}

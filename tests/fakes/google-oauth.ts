// A tiny stand-in for Google's OAuth 2.0 / OpenID endpoints (authorization, token, userinfo) on port 0,
// so the real passport-google-oauth20 strategy can be exercised end to end over real HTTP.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeGoogleAccount = { sub: string; email: string; email_verified: boolean | string; name?: string };

type IssuedCode = { account: FakeGoogleAccount; redirectUri: string; challenge?: string; method?: string };

export class FakeGoogleOAuth {
  /** The account that "signs in" at the next consent screen. */
  nextAccount: FakeGoogleAccount | undefined;
  readonly tokenRequests: Record<string, string>[] = [];
  private readonly codes = new Map<string, IssuedCode>();
  private readonly tokens = new Map<string, FakeGoogleAccount>();
  private server!: Server;
  url = '';

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  static async start(clientId = 'fake-client-id', clientSecret = 'fake-client-secret'): Promise<FakeGoogleOAuth> {
    const fake = new FakeGoogleOAuth(clientId, clientSecret);
    fake.server = createServer((req, res) => {
      fake.handle(req, res).catch((err: unknown) => send(res, 500, { error: 'server_error', error_description: String(err) }));
    });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  get authorizationUrl(): string {
    return `${this.url}/o/oauth2/v2/auth`;
  }
  get tokenUrl(): string {
    return `${this.url}/token`;
  }
  get userInfoUrl(): string {
    return `${this.url}/v1/userinfo`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'GET' && url.pathname === '/o/oauth2/v2/auth') return this.authorize(url.searchParams, res);
    if (req.method === 'POST' && url.pathname === '/token') return this.token(new URLSearchParams(await readBody(req)), res);
    if (req.method === 'GET' && url.pathname === '/v1/userinfo') return this.userInfo(req, url, res);
    send(res, 404, { error: 'not_found' });
  }

  // The consent screen, answered at once by `nextAccount` (or "access_denied" without one).
  private authorize(params: URLSearchParams, res: ServerResponse): void {
    const redirectUri = params.get('redirect_uri');
    if (params.get('client_id') !== this.clientId || !redirectUri || params.get('response_type') !== 'code') {
      return send(res, 400, { error: 'invalid_request' });
    }
    const back = new URL(redirectUri);
    const state = params.get('state');
    if (state) back.searchParams.set('state', state);
    if (!this.nextAccount) {
      back.searchParams.set('error', 'access_denied');
    } else {
      const code = randomBytes(16).toString('hex');
      this.codes.set(code, {
        account: this.nextAccount,
        redirectUri,
        challenge: params.get('code_challenge') ?? undefined,
        method: params.get('code_challenge_method') ?? undefined,
      });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.toString() }).end();
  }

  private token(form: URLSearchParams, res: ServerResponse): void {
    this.tokenRequests.push(Object.fromEntries(form));
    if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret) {
      return send(res, 401, { error: 'invalid_client' });
    }
    const code = form.get('code') ?? '';
    const issued = this.codes.get(code);
    this.codes.delete(code); // single use, like Google
    if (!issued || form.get('grant_type') !== 'authorization_code' || form.get('redirect_uri') !== issued.redirectUri) {
      return send(res, 400, { error: 'invalid_grant' });
    }
    if (issued.challenge) {
      const verifier = form.get('code_verifier') ?? '';
      const computed = issued.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
      if (computed !== issued.challenge) return send(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
    }
    const accessToken = randomBytes(16).toString('hex');
    this.tokens.set(accessToken, issued.account);
    send(res, 200, { access_token: accessToken, expires_in: 3599, token_type: 'Bearer', scope: 'openid email profile', id_token: 'fake.id.token' });
  }

  private userInfo(req: IncomingMessage, url: URL, res: ServerResponse): void {
    const header = req.headers.authorization ?? '';
    const token = header.replace(/^Bearer\s+/i, '') || url.searchParams.get('access_token') || '';
    const account = this.tokens.get(token);
    if (!account) return send(res, 401, { error: 'invalid_token' });
    send(res, 200, { ...account, name: account.name ?? account.email.split('@')[0] });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// HTTPS requests to the appliance exactly as a browser reaches it: to the proxy's published port on loopback,
// with the appliance's host name in SNI and Host, verified against Caddy's own internal CA (read from the proxy's
// data volume), and a small cookie jar. Node's fetch cannot pin a name to 127.0.0.1, so this uses node:https.
import { request } from 'node:https';

export type ProxyResponse = { status: number; headers: Record<string, string | string[] | undefined>; text: string; json<T = unknown>(): T };

export class ThroughProxy {
  readonly cookies = new Map<string, string>();

  constructor(private readonly port: number, private readonly ca: string) {}

  async send(
    host: string,
    method: string,
    path: string,
    options: { json?: unknown; form?: Record<string, string>; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<ProxyResponse> {
    const headers: Record<string, string> = { host, ...options.headers };
    let body: string | undefined = options.raw;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    } else if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    const jar = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (jar) headers.cookie = jar;
    if (this.cookies.has('sb_csrf') && method !== 'GET') headers['x-csrf-token'] ??= this.cookies.get('sb_csrf')!;
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: this.port, servername: host, ca: this.ca, method, path, headers, timeout: 30_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            for (const cookie of res.headers['set-cookie'] ?? []) {
              const [pair] = cookie.split(';');
              const eq = pair!.indexOf('=');
              const value = pair!.slice(eq + 1);
              if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(cookie)) this.cookies.delete(pair!.slice(0, eq));
              else this.cookies.set(pair!.slice(0, eq), value);
            }
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} https://${host}${path}: no answer in 30 s`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}

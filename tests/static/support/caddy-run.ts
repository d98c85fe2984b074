import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readRepoFile } from './repo.js';

/** Security headers the API and the portal send themselves (backend/src/http/security-headers.ts, portal hooks). */
export const APP_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "frame-ancestors 'none'",
};

/** An upstream standing in for the backend, the portal and n8n: answers 200 with `headers` on every path. */
export async function upstreamWith(headers: Record<string, string>): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain', ...headers }).end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function freePort(): Promise<number> {
  const { port, close } = await upstreamWith({});
  await close();
  return port;
}

/**
 * One of our Caddyfiles with its site addresses and upstreams pointed at local ports (plain HTTP, no admin
 * endpoint), everything else exactly as shipped.
 */
export function localCaddyfile(file: 'deploy/caddy/Caddyfile' | 'deploy/caddy/Caddyfile.native', ports: { site: number; n8nSite: number; upstream: number }): string {
  const up = `127.0.0.1:${ports.upstream}`;
  return readRepoFile(file)
    .replace(/\{\s*\n\s*email \{\$ACME_EMAIL\}\s*\n\}/, '{\n\tadmin off\n\tauto_https off\n}')
    .replace('{$DOMAIN} {', `http://127.0.0.1:${ports.site} {`)
    .replace('{$N8N_DOMAIN} {', `http://127.0.0.1:${ports.n8nSite} {`)
    .replace(':8080 {', `http://127.0.0.1:${ports.site} {`)
    .replace(/backend:4000|portal:3000|n8n:5678|127\.0\.0\.1:4000|127\.0\.0\.1:3000/g, up);
}

export async function startCaddy(caddyfile: string, home: string, waitForPort: number): Promise<ChildProcess> {
  const path = join(home, `Caddyfile-${waitForPort}`);
  writeFileSync(path, caddyfile);
  const caddy = spawn('caddy', ['run', '--config', path, '--adapter', 'caddyfile'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  caddy.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (caddy.exitCode !== null) throw new Error(`caddy exited: ${stderr.slice(-2000)}`);
    if (await get(waitForPort, '/healthz').then(() => true, () => false)) return caddy;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  caddy.kill();
  throw new Error(`caddy did not listen on ${waitForPort}: ${stderr.slice(-2000)}`);
}

/** Every response header line as received (repeated headers stay separate), names lower-cased. */
export function get(port: number, path: string): Promise<{ status: number; raw: [string, string][]; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent: false }, (res) => {
      res.resume();
      res.on('end', () => {
        const raw: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) raw.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
        resolve({ status: res.statusCode ?? 0, raw, headers: res.headers });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Header names that appear more than once, with their values. */
export function repeatedHeaders(raw: [string, string][]): Record<string, string[]> {
  const seen: Record<string, string[]> = {};
  for (const [name, value] of raw) (seen[name] ??= []).push(value);
  return Object.fromEntries(Object.entries(seen).filter(([, values]) => values.length > 1));
}

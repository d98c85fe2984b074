import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { APP_HEADERS, freePort, get, localCaddyfile, repeatedHeaders, startCaddy, upstreamWith } from './support/caddy-run.js';
import { readRepoFile, repoPath, requireTool, run } from './support/repo.js';

describe('Caddyfiles', function () {
  this.timeout(30_000);
  let home: string;

  before(() => {
    requireTool('caddy', 'caddy', ['version']);
    home = mkdtempSync(join(tmpdir(), 'switchboard-caddy-'));
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  // Caddy keeps certificates and autosaved config under XDG folders: point them at a scratch folder.
  const validate = (file: string, env: Record<string, string>) =>
    run('caddy', ['validate', '--config', repoPath(file), '--adapter', 'caddyfile'], {
      env: { XDG_DATA_HOME: home, XDG_CONFIG_HOME: home, ...env },
    });

  it('when DOMAIN, N8N_DOMAIN and ACME_EMAIL are set, then the compose Caddyfile is valid', () => {
    const result = validate('deploy/caddy/Caddyfile', { DOMAIN: 'switchboard.example.com', N8N_DOMAIN: 'n8n.example.com', ACME_EMAIL: 'ops@example.com' });
    expect(result.status, result.stderr).to.equal(0);
  });

  it('when run on localhost names (the .env.example defaults), then the compose Caddyfile is valid', () => {
    const result = validate('deploy/caddy/Caddyfile', { DOMAIN: 'localhost', N8N_DOMAIN: 'n8n.localhost', ACME_EMAIL: 'change-me@example.com' });
    expect(result.status, result.stderr).to.equal(0);
  });

  it('when the native stack uses it, then Caddyfile.native is valid without any environment', () => {
    const result = validate('deploy/caddy/Caddyfile.native', {});
    expect(result.status, result.stderr).to.equal(0);
  });

  for (const file of ['deploy/caddy/Caddyfile', 'deploy/caddy/Caddyfile.native'] as const) {
    it(`when ${file} proxies the API and the portal (which send their own security headers), then each header arrives exactly once`, async () => {
      const upstream = await upstreamWith(APP_HEADERS);
      const ports = { site: await freePort(), n8nSite: await freePort(), upstream: upstream.port };
      const caddy = await startCaddy(localCaddyfile(file, ports), home, ports.site);
      try {
        for (const path of ['/api/v1/agents', '/webhooks/twilio/sms/inbound', '/widget.js', '/healthz', '/', '/sign-in']) {
          const res = await get(ports.site, path);
          expect(res.status, path).to.equal(200);
          expect(repeatedHeaders(res.raw), `${file} ${path}`).to.deep.equal({});
          for (const [name, value] of Object.entries(APP_HEADERS)) expect(res.headers[name.toLowerCase()], `${name} on ${path}`).to.equal(value);
          if (file === 'deploy/caddy/Caddyfile') expect(res.headers.server, path).to.equal(undefined);
        }
        if (file === 'deploy/caddy/Caddyfile') {
          const n8n = await get(ports.n8nSite, '/');
          expect(repeatedHeaders(n8n.raw), 'n8n site').to.deep.equal({});
          expect(n8n.headers['x-frame-options'], 'n8n keeps its own value').to.equal('DENY');
        }
      } finally {
        caddy.kill();
        await new Promise((resolve) => caddy.once('exit', resolve));
        await upstream.close();
      }
    });
  }

  it('when the n8n editor sends no security headers of its own, then Caddy adds the defaults once', async () => {
    const upstream = await upstreamWith({});
    const ports = { site: await freePort(), n8nSite: await freePort(), upstream: upstream.port };
    const caddy = await startCaddy(localCaddyfile('deploy/caddy/Caddyfile', ports), home, ports.site);
    try {
      const n8n = await get(ports.n8nSite, '/');
      expect(repeatedHeaders(n8n.raw)).to.deep.equal({});
      expect(n8n.headers).to.include({ 'x-frame-options': 'SAMEORIGIN', 'x-content-type-options': 'nosniff', 'referrer-policy': 'strict-origin-when-cross-origin' });
    } finally {
      caddy.kill();
      await new Promise((resolve) => caddy.once('exit', resolve));
      await upstream.close();
    }
  });

  it('when a request is for the API, then both Caddyfiles send the contract routes to the backend', () => {
    const contractRoutes = '/api/* /webhooks/* /healthz /readyz /openapi.json /widget.js';
    expect(readRepoFile('deploy/caddy/Caddyfile')).to.contain(`path ${contractRoutes}`);
    expect(readRepoFile('deploy/caddy/Caddyfile.native')).to.contain(`path ${contractRoutes}`);
  });
});

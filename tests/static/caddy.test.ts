import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
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

  it('when a request is for the API, then both Caddyfiles send the contract routes to the backend', () => {
    const contractRoutes = '/api/* /webhooks/* /healthz /readyz /openapi.json /widget.js';
    expect(readRepoFile('deploy/caddy/Caddyfile')).to.contain(`path ${contractRoutes}`);
    expect(readRepoFile('deploy/caddy/Caddyfile.native')).to.contain(`path ${contractRoutes}`);
  });
});

import { expect } from 'chai';
import { get, repeatedHeaders } from '../static/support/caddy-run.js';
import { e2eStack } from './support/e2e-stack.js';

const portOf = (url: string) => Number(new URL(url).port);

/**
 * Native mode has no proxy in front: the API and the portal must send their security headers themselves,
 * each exactly once (the compose Caddyfile adds none of them: tests/static/caddy.test.ts).
 */
describe('security headers from the API and the portal themselves (native stack, no proxy)', () => {
  it('when the portal answers a page, a redirect, a 404 and a malformed path, then each carries its security headers once', async () => {
    const portal = portOf(e2eStack().urls.portal!);
    for (const path of ['/sign-in', '/', '/no-such-page', '/forgot-password']) {
      const res = await get(portal, path);
      expect(res.status, path).to.be.below(500);
      expect(repeatedHeaders(res.raw), path).to.deep.equal({});
      expect(res.headers, path).to.include({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' });
      expect(res.headers['referrer-policy'], path).to.be.a('string');
      if (res.status === 200) expect(res.headers['content-security-policy'], path).to.contain("frame-ancestors 'none'");
    }
    const malformed = await get(portal, '/%ZZ');
    expect(malformed.status, 'portal /%ZZ').to.equal(400);
  });

  it('when the portal passes the widget on (native mode), then it stays embeddable, and a decoded ../ cannot leave /api/v1/web-chat', async () => {
    const portal = portOf(e2eStack().urls.portal!);
    const widget = await get(portal, '/widget.js');
    expect(widget.status).to.equal(200);
    expect(repeatedHeaders(widget.raw)).to.deep.equal({});
    expect(widget.headers['x-frame-options']).to.equal(undefined);
    expect(widget.headers['x-content-type-options']).to.equal('nosniff');
    for (const path of ['/api/v1/web-chat/..%2F..%2Fv1%2Fagents', '/api/v1/web-chat/%2E%2E/%2E%2E/v1/auth/csrf']) {
      const res = await fetch(`${e2eStack().urls.portal}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.status, path).to.be.oneOf([400, 404]);
    }
  });

  it('when the API answers a route, a 404 and a malformed path, then each carries its security headers once; the widget stays embeddable', async () => {
    const api = portOf(e2eStack().urls.api);
    for (const path of ['/healthz', '/api/v1/auth/csrf', '/api/v1/no-such-thing', '/api/v1/agents/%ZZ']) {
      const res = await get(api, path);
      expect(res.status, path).to.be.below(500);
      expect(repeatedHeaders(res.raw), path).to.deep.equal({});
      expect(res.headers, path).to.include({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
      expect(res.headers['x-powered-by'], path).to.equal(undefined);
    }
    const widget = await get(api, '/widget.js');
    expect(widget.status).to.equal(200);
    expect(widget.headers['x-frame-options']).to.equal(undefined);
    expect(widget.headers['cross-origin-resource-policy']).to.equal('cross-origin');
  });
});

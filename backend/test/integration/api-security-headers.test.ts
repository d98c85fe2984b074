import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { createContainer, type Container } from '../../src/container.js';
import { createApiApp } from '../../src/http/api-app.js';
import { testEnv } from '../support/test-api.js';

/** Headers a browser needs from the API itself, whatever proxy (or none) is in front of it. */
const LOCKED_DOWN = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

/** Each header present exactly once (Node would join repeated set-header values with ", "). */
function expectOnce(headers: Record<string, string | string[] | undefined>, expected: Record<string, string>, where: string): void {
  for (const [name, value] of Object.entries(expected)) expect(headers[name], `${name} on ${where}`).to.equal(value);
}

describe('API security headers and hostile paths (the production app)', () => {
  let container: Container;
  let app: Express;

  before(() => {
    container = createContainer(loadConfig(testEnv()));
    app = createApiApp(container);
  });
  after(() => container.close());

  it('when a normal route, a 404, a 401 and a 400 answer, then each carries the security headers once and no X-Powered-By', async () => {
    for (const [where, call] of [
      ['GET /healthz', request(app).get('/healthz')],
      ['GET /openapi.json', request(app).get('/openapi.json')],
      ['a 404', request(app).get('/api/v1/no-such-thing')],
      ['a 401', request(app).get('/api/v1/agents')],
      ['a 400', request(app).post('/api/v1/auth/login').set('content-type', 'application/json').send('{"email":')],
    ] as const) {
      const res = await call;
      expectOnce(res.headers, LOCKED_DOWN, where);
      expect(res.headers['x-powered-by'], where).to.equal(undefined);
      expect(res.headers['access-control-allow-origin'], where).to.equal(undefined);
    }
  });

  it('when the web chat widget and its API answer, then they stay embeddable: CORS kept, no framing rules or CSP, nosniff still sent', async () => {
    const script = await request(app).get('/widget.js').expect(200);
    expect(script.headers['content-type']).to.match(/javascript/);
    expect(script.headers['cross-origin-resource-policy']).to.equal('cross-origin');
    const preflight = await request(app).options('/api/v1/web-chat/messages').set('origin', 'https://shop.example').expect(204);
    const call = await request(app).post('/api/v1/web-chat/history').set('origin', 'https://shop.example').send({ sessionToken: 'x'.repeat(40) });
    for (const [where, res] of [['/widget.js', script], ['web chat preflight', preflight], ['web chat call', call]] as const) {
      expect(res.headers['x-frame-options'], where).to.equal(undefined);
      expect(res.headers['content-security-policy'], where).to.equal(undefined);
      expect(res.headers['x-content-type-options'], where).to.equal('nosniff');
    }
    expect(preflight.headers['access-control-allow-origin']).to.equal('*');
    expect(call.headers['access-control-allow-origin']).to.equal('*');
  });

  it('when a path is not valid percent-encoding (signed in or not, API or webhook), then 400, never a URIError 500', async () => {
    for (const path of ['/api/v1/agents/%ZZ', '/api/v1/agents/%E0%A4%A', '/api/v1/web-chat/%ZZ/sessions', '/webhooks/telegram/%ZZ/x', '/webhooks/whatsapp-cloud/%ZZ/%ZZ', '/webhooks/stripe/%C0%AF/x']) {
      const res = await request(app).post(path).send({});
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).to.equal(400);
      expectOnce(res.headers, { 'x-content-type-options': 'nosniff' }, path);
    }
    expect((await request(app).get('/api/v1/agents/%ZZ')).status).to.equal(400);
  });

  it('when a webhook claims gzip but is not, or nests 40,000 levels, then 400 before the signature is even looked at', async () => {
    const path = '/webhooks/stripe/00000000-0000-4000-8000-000000000000/00000000-0000-4000-8000-000000000000';
    await request(app).post(path).set('content-type', 'application/json').set('content-encoding', 'gzip').send('{"id":"evt"}').expect(400);
    await request(app).post(path).set('content-type', 'application/json').send('['.repeat(40_000) + ']'.repeat(40_000)).expect(400);
  });
});

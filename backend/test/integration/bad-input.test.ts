import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import type { RouteSpec } from '../../src/http/route-registry.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { hostileVariants, type HostileRequest } from '../support/hostile-variants.js';
import { fillPath, insertToken, ROUTE_CASES, routeKey, type CaseRequest } from '../support/route-cases.js';
import { actingAsPrincipal, TestApi } from '../support/test-api.js';

/** Variants a route accepts on purpose, with the reason. */
const ACCEPTED_ON_PURPOSE: Record<string, { variants: RegExp; reason: string }> = {
  'get /api/v1/auth/google/callback': {
    variants: /^(unknown query parameter|wrong type in query)/,
    reason: 'Google adds parameters of its own and code/state are opaque strings (lengths are still checked)',
  },
  'post /api/v1/ai/generate': {
    variants: /^oversized (text|context)$/,
    reason: 'transcripts and conversations to summarize are long: text and context take up to 20,000 characters',
  },
  'post /api/v1/payment-links': {
    variants: /^wrong type for amount$/,
    reason: 'the stand-in wrong value, 12345, is a valid amount in cents',
  },
  'post /api/v1/agents/:agentId/versions': {
    variants: /^oversized instructions$/,
    reason: "a business's instructions to its agent take up to 8,000 characters",
  },
  'put /api/v1/agency/agent-template': {
    variants: /^oversized template$/,
    reason: "the agency's base prompt takes up to 8,000 characters",
  },
  'post /api/v1/conversations/:conversationId/agent/pause': {
    variants: /^(missing fields|wrong type for minutes)$/,
    reason: 'every field is optional (no minutes = until released) and 12345 minutes is a valid pause',
  },
  'post /api/v1/agency/automation-failures': {
    variants: /^oversized errorMessage$/,
    reason: "n8n's error messages (with stacks) run long: errorMessage takes up to 10,000 characters and is stored cut to 2,000",
  },
  'post /api/v1/agency/plans': {
    variants: /^wrong type for monthlyPriceMinor$/,
    reason: 'the stand-in wrong value, 12345, is a valid price in cents',
  },
  'patch /api/v1/agency/plans/:id': {
    variants: /^wrong type for monthlyPriceMinor$/,
    reason: 'the stand-in wrong value, 12345, is a valid price in cents',
  },
  'get /api/v1/signup/google': {
    variants: /^wrong type in query (businessName|name)$/,
    reason: 'business and person names are free text ("Matrix Business!!" is a valid name)',
  },
  'post /api/v1/web-chat/history': {
    variants: /^wrong type for afterSeq$/,
    reason: 'the stand-in wrong value, 12345, is a valid message position',
  },
};

/** Variants of a valid request that must each be refused with a 400 (or 413) naming the problem. */
function badVariants(route: RouteSpec, valid: CaseRequest): { label: string; req: CaseRequest; raw?: string }[] {
  const variants: { label: string; req: CaseRequest; raw?: string }[] = [
    { label: 'unknown query parameter', req: { ...valid, query: { ...valid.query, zzUnknown: '1' } } },
  ];
  for (const name of Object.keys(valid.params ?? {})) {
    variants.push({ label: `malformed path parameter ${name}`, req: { ...valid, params: { ...valid.params, [name]: 'not-an-id' } } });
  }
  for (const [name, value] of Object.entries(valid.query ?? {})) {
    variants.push({ label: `wrong type in query ${name}`, req: { ...valid, query: { ...valid.query, [name]: `${value}!!` } } });
    variants.push({ label: `oversized query ${name}`, req: { ...valid, query: { ...valid.query, [name]: 'x'.repeat(5_000) } } });
  }
  if (route.body) {
    const body = valid.body as Record<string, unknown>;
    variants.push({ label: 'unknown body field', req: { ...valid, body: { ...body, zzUnknown: true } } });
    variants.push({ label: 'body is an array', req: { ...valid, body: [body] } });
    variants.push({ label: 'malformed JSON', req: valid, raw: '{"oops": ' });
    if (Object.keys(body).length > 0) variants.push({ label: 'missing fields', req: { ...valid, body: {} } });
    for (const [name, value] of Object.entries(body)) {
      variants.push({ label: `wrong type for ${name}`, req: { ...valid, body: { ...body, [name]: 12345 } } });
      variants.push({ label: `object for ${name}`, req: { ...valid, body: { ...body, [name]: { $gt: '' } } } });
      if (typeof value === 'string') {
        variants.push({ label: `oversized ${name}`, req: { ...valid, body: { ...body, [name]: 'x'.repeat(5_000) } } });
      }
    }
    variants.push({ label: 'body over the size limit', req: { ...valid, body: { ...body, name: 'x'.repeat(300_000) } } });
  }
  return variants;
}

describe('bad input on every declared route', () => {
  let db: Sequelize;
  let api: TestApi;
  let x: WorldAgency;
  let headers: Record<string, string>;
  let serviceHeaders: Record<string, string>;
  let ROUTES: RouteSpec[];

  let server: Server;
  let baseUrl: string;

  before(async () => {
    db = superuserSequelize();
    // The web chat's per-address budget would answer 429 long before every variant was tried.
    api = TestApi.create({ WEB_CHAT_RATE_PER_MINUTE: '100000' });
    server = api.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ROUTES = api.routes;
    x = await createAgencyWorld(db);
    // Agency owner acting as tenant A holds every permission, so only the input can be wrong.
    headers = api.signIn(actingAsPrincipal(x.id, x.owner, x.tenants[0].id));
    const { token } = await insertToken(db, { agencyId: x.id, tenantId: x.tenants[0].id, permissions: [] });
    serviceHeaders = { authorization: `Bearer ${token}` };
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await api.close();
    await db.close();
  });

  it('when input is missing, mistyped, oversized or has unknown fields, then every route answers 400/413 with details and never 5xx', async function () {
    this.timeout(180_000);
    const failures: string[] = [];
    let checked = 0;
    for (const route of ROUTES) {
      const valid = await ROUTE_CASES[routeKey(route)]!(db, { agencyId: x.id, tenantId: x.tenants[0].id });
      const onPurpose = ACCEPTED_ON_PURPOSE[routeKey(route)];
      for (const variant of badVariants(route, valid).filter((v) => !onPurpose?.variants.test(v.label))) {
        const serviceOnly = 'kinds' in route.access && !route.access.kinds?.includes('user');
        let call = request(api.app)[route.method](fillPath(route.path, variant.req.params)).set(serviceOnly ? serviceHeaders : headers);
        if (variant.req.query) call = call.query(variant.req.query);
        if (variant.raw) call = call.set('content-type', 'application/json').send(variant.raw);
        else if (variant.req.body !== undefined) call = call.send(variant.req.body as object);
        const res = await call;
        checked += 1;
        const detailed = res.status === 413 || (Array.isArray(res.body?.error?.details) && res.body.error.details.length > 0) || variant.raw;
        if (![400, 413].includes(res.status) || !detailed) {
          failures.push(`${routeKey(route)} / ${variant.label}: ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
        }
      }
    }
    expect(failures).to.deep.equal([]);
    expect(checked).to.be.greaterThan(ROUTES.length * 2);
  });

  it('when every route has a valid request to derive variants from, then none is missing (a new route must add one to route-cases.ts)', () => {
    expect(ROUTES.map(routeKey).filter((key) => !ROUTE_CASES[key])).to.deep.equal([]);
  });

  it('when input is hostile (unstorable text in every string, 1 MB strings, 40,000 levels, extreme numbers, prototype keys, malformed encodings), then no route answers 5xx or takes over 2 s, and unstorable text is a 400 naming the field', async function () {
    this.timeout(240_000);
    const failures: string[] = [];
    let checked = 0;
    const fire = (route: RouteSpec, variant: HostileRequest) => {
      const serviceOnly = 'kinds' in route.access && !route.access.kinds?.includes('user');
      const hasBody = variant.raw !== undefined || variant.body !== undefined;
      return fetch(`${baseUrl}${variant.url}`, {
        method: route.method.toUpperCase(),
        headers: { ...(serviceOnly ? serviceHeaders : headers), ...(hasBody && { 'content-type': 'application/json' }), ...variant.headers },
        body: variant.raw ?? (variant.body === undefined ? undefined : JSON.stringify(variant.body)),
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
      }).then(
        async (res) => ({ status: res.status, text: await res.text() }),
        (err: unknown) => ({ status: 0, text: String(err) }),
      );
    };
    const timed = async (route: RouteSpec, variant: HostileRequest) => {
      const started = performance.now();
      const res = await fire(route, variant);
      return { ...res, ms: performance.now() - started };
    };
    const send = async (route: RouteSpec, variant: HostileRequest) => {
      const res = await timed(route, variant);
      // Over 2 s once can be the shared machine; a route that is really slow is slow again.
      const ms = res.ms > 2_000 ? Math.min(res.ms, (await timed(route, variant)).ms) : res.ms;
      checked += 1;
      const where = `${routeKey(route)} / ${variant.label}`;
      if (res.status === 0 || res.status >= 500) failures.push(`${where}: ${res.status} ${res.text.slice(0, 160)}`);
      if (ms > 2_000) failures.push(`${where}: took ${Math.round(ms)} ms (twice)`);
      if (variant.unstorableAt && !(res.status === 400 && res.text.includes(JSON.stringify(variant.unstorableAt).slice(1, -1)))) {
        failures.push(`${where}: expected a 400 naming ${variant.unstorableAt}, got ${res.status} ${res.text.slice(0, 160)}`);
      }
    };
    // Valid requests are made one route at a time (their rows must not collide: bookings); the variants of up
    // to 4 routes are in flight at once, a modest load for the shared machine running the suite.
    const inFlight = new Set<Promise<void>>();
    for (const route of ROUTES.filter((r) => ROUTE_CASES[routeKey(r)])) {
      const valid = await ROUTE_CASES[routeKey(route)]!(db, { agencyId: x.id, tenantId: x.tenants[0].id });
      const run: Promise<void> = (async () => {
        for (const variant of hostileVariants(route, valid)) await send(route, variant);
      })().finally(() => inFlight.delete(run));
      inFlight.add(run);
      if (inFlight.size >= 4) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    expect(failures).to.deep.equal([]);
    expect(checked).to.be.greaterThan(ROUTES.length * 5);
    expect(({} as Record<string, unknown>).polluted, 'Object.prototype polluted').to.equal(undefined);
  });
});

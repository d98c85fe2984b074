import { expect } from 'chai';
import { Router, type Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/http/app.js';
import { buildApi, buildRouters } from '../../src/http/routes.js';
import type { RouteSpec } from '../../src/http/route-registry.js';
import { startIdentityApp, type IdentityApp } from '../support/identity-app.js';
import { routeKey } from '../support/route-cases.js';

type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

/** Every route Express serves, as "method path", found by walking the app's (nested) router stacks. */
function mountedRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') found.push(`${method} ${layer.route.path}`);
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return found;
}

const openApiPath = (path: string) => path.replace(/:([a-zA-Z]+)/g, '{$1}');

describe('one route registry: what Express serves is what is declared and documented', () => {
  let world: IdentityApp;
  let declared: RouteSpec[];

  before(() => {
    world = startIdentityApp(); // the production app, as src/server.ts builds it
    declared = buildApi(world.container).routes;
  });
  after(() => world.close());

  it('when Express serves an /api/v1 route, then the registry declares it (and the other way round)', () => {
    const mounted = mountedRoutes(world.app).filter((key) => key.split(' ')[1]!.startsWith('/api/v1/'));
    const registered = declared.map(routeKey);
    expect(mounted.filter((key) => !registered.includes(key)), 'served but not declared in http/api-routes.ts').to.deep.equal([]);
    expect(registered.filter((key) => !mounted.includes(key)), 'declared but not served').to.deep.equal([]);
    expect(new Set(registered).size, 'declared twice').to.equal(registered.length);
  });

  it('when a module mounts an /api/v1 route of its own, outside the registry, then the walk finds it (so the test above would fail)', () => {
    const rogue = Router();
    rogue.post('/api/v1/rogue/:id', (_req, res) => {
      res.end();
    });
    const nested = Router();
    nested.use(rogue);
    const app = createApp({ logger: world.container.logger, routers: [...buildRouters(world.container), nested] });
    const registered = declared.map(routeKey);
    expect(mountedRoutes(app).filter((key) => key.startsWith('post /api/v1/') && !registered.includes(key))).to.deep.equal(['post /api/v1/rogue/:id']);
  });

  it('when /openapi.json is fetched, then it lists every served /api/v1 route with its access and a unique operationId', async () => {
    const doc = (await request(world.app).get('/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { operationId: string; security: unknown[]; description: string }>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`));
    const served = mountedRoutes(world.app).filter((key) => key.split(' ')[1]!.startsWith('/api/v1/'));
    expect(served.map((key) => openApiPath(key)).filter((key) => !documented.includes(key)), 'served but not in /openapi.json').to.deep.equal([]);
    const operations = Object.values(doc.paths).flatMap((ops) => Object.values(ops));
    const ids = operations.map((op) => op.operationId);
    expect(new Set(ids).size, 'duplicate operationIds').to.equal(ids.length);
    for (const route of declared) {
      const op = doc.paths[openApiPath(route.path)]![route.method]!;
      if ('public' in route.access) {
        expect(op.security, routeKey(route)).to.deep.equal([]);
        expect(op.description).to.match(/^Public/);
      } else {
        expect(op.security, routeKey(route)).to.have.length.greaterThan(0);
      }
    }
  });

  it('when public routes are documented, then their zod schemas are in /openapi.json', async () => {
    const doc = (await request(world.app).get('/openapi.json').expect(200)).body;
    const login = doc.paths['/api/v1/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema.required).to.have.members(['email', 'password']);
    expect(login.responses['200'].content['application/json'].schema.properties).to.include.keys('user', 'permissions');
    const accept = doc.paths['/api/v1/invitations/accept'].post;
    expect(accept.requestBody.content['application/json'].schema.properties).to.include.keys('token', 'name', 'password');
    const callback = doc.paths['/api/v1/auth/google/callback'].get;
    expect(callback.parameters.map((p: { name: string }) => p.name)).to.include.members(['code', 'state', 'error']);
    expect(callback.responses).to.have.property('302');
  });
});

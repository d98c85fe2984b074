import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { renderPermissionsDoc } from '../../src/cli/permissions-doc.js';
import { routeCatalog } from '../../src/http/route-catalog.js';

const DOC = new URL('../../../docs/permissions.md', import.meta.url);

describe('docs/permissions.md', () => {
  it('when permissions, roles or routes change, then the committed doc matches the generated one', () => {
    const generated = renderPermissionsDoc(routeCatalog());
    const committed = readFileSync(DOC, 'utf8');
    expect(committed === generated, 'docs/permissions.md is out of date: run `npm run docs:permissions -w backend`').to.equal(true);
  });

  it('when the route catalog is built without infrastructure, then it lists the same routes as the app (public ones included)', () => {
    const keys = routeCatalog().map((route) => `${route.method} ${route.path}`);
    expect(keys).to.include.members(['post /api/v1/auth/login', 'get /api/v1/auth/me', 'post /api/v1/invitations/accept', 'get /api/v1/agency/tenants']);
  });
});

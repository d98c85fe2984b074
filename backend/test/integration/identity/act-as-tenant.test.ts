import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { Browser } from '../../support/browser.js';
import { startIdentityApp, type IdentityApp } from '../../support/identity-app.js';
import { createAgency, createPerson, createTenant, type TestPerson } from '../../support/identity-world.js';

describe('agency staff acting as a tenant', () => {
  let world: IdentityApp;
  let agencyId: string;
  let tenantId: string;
  let operator: TestPerson;

  before(async () => {
    world = startIdentityApp();
    agencyId = await createAgency(world.db);
    tenantId = await createTenant(world.db, agencyId);
    operator = await createPerson(world.db, [{ agencyId, role: 'agency_operator' }]);
  });
  after(() => world.close());

  const actions = async (tenant: string) =>
    (
      await world.db.query<{ action: string }>(`SELECT action FROM audit_events WHERE tenant_id = :tenant ORDER BY seq`, {
        replacements: { tenant },
        type: QueryTypes.SELECT,
      })
    ).map((r) => r.action);

  it('when an operator acts as a tenant of their agency and stops, then the principal follows and both are audited', async () => {
    const browser = new Browser(world.app);
    await browser.signIn(operator.email, operator.password);
    const acting = await browser.post('/api/v1/auth/act-as-tenant', { tenantId });
    expect(acting.status).to.equal(200);
    expect(acting.body).to.deep.include({ tenantId, role: 'tenant_admin', actingAs: { agencyRole: 'agency_operator' } });
    expect((await browser.get('/api/v1/auth/me')).body.tenantId).to.equal(tenantId);
    const stopped = await browser.delete('/api/v1/auth/act-as-tenant');
    expect(stopped.body).to.deep.include({ tenantId: null, role: 'agency_operator', actingAs: null });
    expect(await actions(tenantId)).to.include.members(['auth.act_as_tenant.started', 'auth.act_as_tenant.stopped']);
  });

  it('when the tenant belongs to another agency, then it is 404', async () => {
    const foreign = await createTenant(world.db, await createAgency(world.db));
    const browser = new Browser(world.app);
    await browser.signIn(operator.email, operator.password);
    expect((await browser.post('/api/v1/auth/act-as-tenant', { tenantId: foreign })).status).to.equal(404);
  });

  it('when a tenant user tries to act as a tenant, then it is 403', async () => {
    const staff = await createPerson(world.db, [{ agencyId, tenantId, role: 'tenant_owner' }]);
    const browser = new Browser(world.app);
    await browser.signIn(staff.email, staff.password);
    expect((await browser.post('/api/v1/auth/act-as-tenant', { tenantId })).status).to.equal(403);
  });
});

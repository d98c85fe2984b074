import { expect } from 'chai';
import { QueryTypes, type Sequelize } from 'sequelize';
import request from 'supertest';
import { createSequelize } from '../../src/db/sequelize.js';
import { scopeRunner } from '../../src/db/tenant-scope.js';
import { createLogger } from '../../src/logger.js';
import { isCurrentN8nToken, N8N_TOKEN_PERMISSIONS, provisionN8nToken } from '../../src/modules/service-tokens/provision-n8n-token.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { testDatabase } from '../support/integration-hooks.js';
import { TestApi } from '../support/test-api.js';

describe('the n8n service token (provision-n8n-token, run by the stacks)', () => {
  let db: Sequelize;
  let owner: Sequelize;
  let api: TestApi;
  let x: WorldAgency;
  let deps: { runInScope: ReturnType<typeof scopeRunner> };

  before(async () => {
    db = superuserSequelize();
    owner = createSequelize(testDatabase().ownerUrl, createLogger({ logLevel: 'silent' }), { poolMax: 2 });
    deps = { runInScope: scopeRunner(owner) };
    api = TestApi.create();
    x = await createAgencyWorld(db);
  });
  after(async () => {
    await api.close();
    await owner.close();
    await db.close();
  });

  const whoami = (token: string) => request(api.app).get('/api/v1/service/whoami').set('authorization', `Bearer ${token}`);

  it('when provisioned, then an agency-level "n8n" token with the nodes\' permissions answers whoami and may act for a tenant', async () => {
    const { token } = await provisionN8nToken(deps, { agencyId: x.id });
    const res = await whoami(token).expect(200);
    expect(res.body).to.deep.include({ agencyId: x.id, tenantId: null });
    expect(res.body.permissions).to.have.members(N8N_TOKEN_PERMISSIONS);
    await request(api.app).get('/api/v1/contacts').set({ authorization: `Bearer ${token}`, 'x-switchboard-tenant': x.tenants[0].id }).expect(200);
  });

  it('when provisioned again, then the previous token is revoked and replaced, and only one live "n8n" token remains', async () => {
    const first = await provisionN8nToken(deps, { agencyId: x.id });
    const second = await provisionN8nToken(deps, { agencyId: x.id });
    expect(second.rotatedFrom).to.deep.equal([first.tokenId]);
    await whoami(first.token).expect(401);
    await whoami(second.token).expect(200);
    const live = await db.query(`SELECT id, replaced_by_id FROM service_tokens WHERE agency_id = :a AND name = 'n8n' AND revoked_at IS NULL`, {
      replacements: { a: x.id }, type: QueryTypes.SELECT,
    });
    expect(live).to.have.length(1);
    const audit = await db.query<{ action: string }>(`SELECT action FROM audit_events WHERE target_id = :id`, { replacements: { id: second.tokenId }, type: QueryTypes.SELECT });
    expect(audit.map((a) => a.action)).to.include('service_token.rotated');
  });

  it('when a kept token is checked, then only the live one of this agency counts as current', async () => {
    const { token } = await provisionN8nToken(deps, { agencyId: x.id });
    expect(await isCurrentN8nToken(deps, { agencyId: x.id, token: `${token}\n` })).to.equal(true);
    const other = await createAgencyWorld(db);
    expect(await isCurrentN8nToken(deps, { agencyId: other.id, token })).to.equal(false);
    await provisionN8nToken(deps, { agencyId: x.id });
    expect(await isCurrentN8nToken(deps, { agencyId: x.id, token })).to.equal(false);
    expect(await isCurrentN8nToken(deps, { agencyId: x.id, token: 'sbt_garbage' })).to.equal(false);
  });
});

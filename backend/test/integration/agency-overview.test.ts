import { expect } from 'chai';
import { QueryTypes, type Sequelize } from 'sequelize';
import request from 'supertest';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { memberPrincipal, TestApi } from '../support/test-api.js';

type Health = { tenantId: string; channels: string[]; messagesToday: number; failuresToday: number; lastMessageAt: string | null };

describe('agency overview: tenant health', () => {
  let db: Sequelize;
  let api: TestApi;
  let x: WorldAgency;
  let other: WorldAgency;

  before(async () => {
    db = superuserSequelize();
    api = TestApi.create();
    x = await createAgencyWorld(db);
    other = await createAgencyWorld(db);
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  const exec = (sql: string, replacements: Record<string, unknown>) => db.query(sql, { replacements, type: QueryTypes.SELECT });

  /** A conversation with one message per status given; `daysAgo` backdates them past the tenant's today. */
  async function addMessages(agencyId: string, tenantId: string, statuses: string[], daysAgo = 0): Promise<void> {
    const [contact] = (await exec(`INSERT INTO contacts (agency_id, tenant_id, phone) VALUES (:agencyId, :tenantId, :phone)
      RETURNING id`, { agencyId, tenantId, phone: `+49151${Math.floor(Math.random() * 1e8)}` })) as { id: string }[];
    const [conversation] = (await exec(`INSERT INTO conversations (agency_id, tenant_id, contact_id, channel)
      VALUES (:agencyId, :tenantId, :contactId, 'sms') RETURNING id`, { agencyId, tenantId, contactId: contact!.id })) as { id: string }[];
    for (const status of statuses) {
      await exec(`INSERT INTO messages (agency_id, tenant_id, conversation_id, contact_id, direction, channel, body, source, status,
          created_at, updated_at)
        VALUES (:agencyId, :tenantId, :conversationId, :contactId, :direction, 'sms', 'hi', 'api', :status,
          now() - make_interval(days => :daysAgo), now() - make_interval(days => :daysAgo)) RETURNING id`, {
        agencyId, tenantId, conversationId: conversation!.id, contactId: contact!.id, status, daysAgo,
        direction: status === 'received' ? 'inbound' : 'outbound',
      });
    }
  }

  it("when tenants have channels and traffic, then each row counts only that tenant's today and its connected providers", async () => {
    const [a, b] = x.tenants;
    await exec(`INSERT INTO provider_credentials (agency_id, tenant_id, provider, secret_ciphertext) VALUES
      (:agencyId, :tenantId, 'twilio', 'x'), (:agencyId, :tenantId, 'telegram', 'x') RETURNING id`, { agencyId: x.id, tenantId: a.id });
    await addMessages(x.id, a.id, ['delivered', 'received', 'failed', 'dead', 'queued']);
    await addMessages(x.id, a.id, ['failed', 'delivered'], 2);
    await addMessages(other.id, other.tenants[0].id, ['failed', 'failed']);

    const res = await request(api.app).get('/api/v1/agency/tenants/health').set(api.signIn(memberPrincipal(x.id, x.operator))).expect(200);
    const rows = res.body.tenants as Health[];
    expect(rows.map((row) => row.tenantId).sort()).to.deep.equal([a.id, b.id].sort());
    const rowA = rows.find((row) => row.tenantId === a.id)!;
    expect(rowA).to.include({ messagesToday: 5, failuresToday: 2 });
    expect(rowA.channels).to.deep.equal(['telegram', 'twilio']);
    expect(Date.parse(rowA.lastMessageAt!)).to.be.closeTo(Date.now(), 60_000);
    expect(rows.find((row) => row.tenantId === b.id)).to.include({ messagesToday: 0, failuresToday: 0, lastMessageAt: null });
  });

  it('when a tenant member asks for the agency health board, then it is 403', async () => {
    const member = api.signIn(memberPrincipal(x.id, x.tenants[0].users.tenant_owner));
    await request(api.app).get('/api/v1/agency/tenants/health').set(member).expect(403);
  });
});

import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { Browser } from '../../support/browser.js';
import { startIdentityApp, type IdentityApp } from '../../support/identity-app.js';
import { createAgency, createPerson, createTenant, type TestPerson } from '../../support/identity-world.js';

const PATH = '/api/v1/auth/password-reset/request';
const settle = () => new Promise((resolve) => setTimeout(resolve, 50)); // mails go out in the background

describe('password-reset requests are limited per account and per client address', () => {
  let world: IdentityApp;
  let person: TestPerson;

  before(async () => {
    world = startIdentityApp({ PIPELINE_QUEUE_PREFIX: `rr${randomBytes(4).toString('hex')}`, RESET_REQUESTS_PER_ADDRESS: '10' });
    const agencyId = await createAgency(world.db);
    person = await createPerson(world.db, [{ agencyId, tenantId: await createTenant(world.db, agencyId), role: 'tenant_member' }]);
  });
  after(() => world.close());

  const mailsTo = (email: string) => world.mail.sent.filter((m) => m.to.toLowerCase() === email.toLowerCase()).length;

  it('when an account is asked for more than 3 times in an hour, then every answer is the same 202 but only 3 mails go out', async () => {
    const answers = [];
    for (let i = 0; i < 6; i += 1) answers.push(await new Browser(world.app).post(PATH, { email: person.email }));
    await settle();
    expect(answers.map((res) => res.status)).to.deep.equal([202, 202, 202, 202, 202, 202]);
    for (const res of answers) expect(res.body).to.deep.equal(answers[0]!.body);
    expect(mailsTo(person.email)).to.equal(3);
  });

  it('when an unknown address is asked for as often, then the answers look exactly like those of a limited account', async () => {
    const ghost = `ghost-${randomBytes(6).toString('hex')}@example.test`;
    const limited = await new Browser(world.app).post(PATH, { email: person.email });
    for (let i = 0; i < 5; i += 1) {
      const unknown = await new Browser(world.app).post(PATH, { email: ghost });
      expect(unknown.status).to.equal(limited.status);
      expect(unknown.body).to.deep.equal(limited.body);
      expect(Object.keys(unknown.headers).sort()).to.deep.equal(Object.keys(limited.headers).sort());
    }
    await settle();
    expect(mailsTo(ghost)).to.equal(0);
  });

  it('when one client address asks more than 10 times in 15 minutes, then it gets 429 with Retry-After and other addresses do not', async () => {
    const ip = new Browser(world.app).ip;
    for (let i = 0; i < 10; i += 1) {
      expect((await new Browser(world.app, ip).post(PATH, { email: `someone-${i}-${randomBytes(4).toString('hex')}@example.test` })).status).to.equal(202);
    }
    const limited = await new Browser(world.app, ip).post(PATH, { email: `someone-else-${randomBytes(4).toString('hex')}@example.test` });
    expect(limited.status).to.equal(429);
    expect(Number(limited.headers['retry-after'])).to.be.within(1, 15 * 60);
    expect(limited.body.error.details).to.include({ reason: 'reset_requests_throttled' });
    expect((await new Browser(world.app).post(PATH, { email: `fresh-${randomBytes(4).toString('hex')}@example.test` })).status).to.equal(202);
  });
});

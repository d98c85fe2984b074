import { expect } from 'chai';
import { randomBytes, randomInt } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { ApiError, createApi } from '../../../../portal/src/lib/server/api.js';
import { signClientAddress } from '../../../../portal/src/lib/server/client-address.js';
import { throttledMessage } from '../../../../portal/src/lib/server/throttled.js';
import { Browser } from '../../support/browser.js';
import { startIdentityApp, type IdentityApp } from '../../support/identity-app.js';
import { createAgency, createPerson, createTenant, type TestPerson } from '../../support/identity-world.js';

const randomAddress = () => `198.51.${randomInt(255)}.${randomInt(1, 255)}`;
const strangerEmail = () => `spray-${randomBytes(6).toString('hex')}@example.test`;
// Each app gets its own Redis key prefix: counters for 127.0.0.1 must not leak between runs.
const isolated = (env: Record<string, string> = {}) => ({ PIPELINE_QUEUE_PREFIX: `th${randomBytes(4).toString('hex')}`, ...env });

async function listen(world: IdentityApp): Promise<{ server: Server; url: string }> {
  const server = world.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).to.be.instanceOf(ApiError);
  return err as ApiError;
}

describe('sign-in throttling per account and client address', function () {
  // Each sign-in hashes a password (argon2): many of them take a while on a busy CI machine.
  this.timeout(180_000);

  describe('behind a trusted proxy (X-Forwarded-For from loopback, as Caddy in compose)', () => {
    let world: IdentityApp;
    let victim: TestPerson;

    before(async () => {
      world = startIdentityApp(isolated());
    });
    // A fresh account per test: failures on one account from many addresses change its rules.
    beforeEach(async () => {
      const agencyId = await createAgency(world.db);
      victim = await createPerson(world.db, [{ agencyId, tenantId: await createTenant(world.db, agencyId), role: 'tenant_member' }]);
    });
    after(() => world.close());

    it("when an attacker at A fails with random e-mails and the victim's, then A waits (429, Retry-After) and the victim signs in from B", async () => {
      const attacker = randomAddress();
      for (let i = 0; i < 15; i += 1) expect((await new Browser(world.app, attacker).signIn(strangerEmail(), 'guess guess')).status).to.equal(401);
      for (let i = 0; i < 5; i += 1) expect((await new Browser(world.app, attacker).signIn(victim.email, `guess ${i}`)).status).to.equal(401);

      const delayed = await new Browser(world.app, attacker).signIn(victim.email, victim.password);
      expect(delayed.status).to.equal(429);
      expect(Number(delayed.headers['retry-after'])).to.be.within(1, 30);
      expect(delayed.body.error.details).to.include({ reason: 'sign_in_throttled' });
      expect(delayed.body.error.message).to.match(/Try again in \d+ seconds/);
      expect((await new Browser(world.app, attacker).signIn(strangerEmail(), 'guess guess')).status, 'every account from A waits').to.equal(429);

      expect((await new Browser(world.app, randomAddress()).signIn(victim.email, victim.password)).status).to.equal(200);
    });

    it('when many addresses fail on one account, then it only slows them: a fresh address is always heard and failing ones wait sooner', async () => {
      const target = victim;
      const bots = Array.from({ length: 12 }, randomAddress);
      for (const bot of bots) expect((await new Browser(world.app, bot).signIn(target.email, 'guess guess')).status).to.equal(401);

      // Under attack, an address that failed on the account gets its delay from its second failure (not its fifth).
      expect((await new Browser(world.app, bots[0]).signIn(target.email, 'guess again')).status).to.equal(401);
      const slowed = await new Browser(world.app, bots[0]).signIn(target.email, 'and again');
      expect(slowed.status).to.equal(429);
      expect(Number(slowed.headers['retry-after'])).to.be.within(1, 30);

      // The owner, from an address that has not failed on the account, with one typo first.
      const owner = randomAddress();
      expect((await new Browser(world.app, owner).signIn(target.email, 'typo typo')).status).to.equal(401);
      expect((await new Browser(world.app, owner).signIn(target.email, target.password)).status).to.equal(200);
    });

    it('when someone signs in after a few typos, then the typos are forgotten for that address', async () => {
      const address = randomAddress();
      for (let round = 0; round < 2; round += 1) {
        for (let i = 0; i < 4; i += 1) expect((await new Browser(world.app, address).signIn(victim.email, 'wrong password!')).status).to.equal(401);
        expect((await new Browser(world.app, address).signIn(victim.email, victim.password)).status).to.equal(200);
      }
    });

    it('when parallel guesses arrive at once, then no more than the free ones are checked before the wait starts', async () => {
      const address = randomAddress();
      const statuses = await Promise.all(Array.from({ length: 12 }, () => new Browser(world.app, address).signIn(victim.email, 'parallel guess').then((r) => r.status)));
      expect(statuses.filter((s) => s === 401)).to.have.length(5);
      expect(statuses.filter((s) => s === 429)).to.have.length(7);
    });
  });

  describe('reached directly (native mode: TRUSTED_PROXIES none), the portal vouching for its visitors', () => {
    let world: IdentityApp;
    let api: { server: Server; url: string };
    let victim: TestPerson;
    let secret: string;

    before(async () => {
      world = startIdentityApp(isolated({ TRUSTED_PROXIES: 'none' }));
      secret = world.container.config.secrets.clientAddress;
      api = await listen(world);
      const agencyId = await createAgency(world.db);
      victim = await createPerson(world.db, [{ agencyId, tenantId: await createTenant(world.db, agencyId), role: 'tenant_member' }]);
    });
    after(async () => {
      api.server.closeAllConnections();
      api.server.close();
      await world.close();
    });

    const portalFor = (address: string, secretUsed = secret) => createApi({ baseUrl: api.url, timeoutMs: 60_000, clientAddress: { address, secret: secretUsed } });

    it("when the portal relays client A's failures, then A is delayed with a clear wait and client B signs in through the same portal", async () => {
      const clientA = portalFor(randomAddress());
      for (let i = 0; i < 20; i += 1) {
        expect((await rejection(clientA.signIn({ email: strangerEmail(), password: 'guess guess' }))).status).to.equal(401);
      }
      const throttled = await rejection(clientA.signIn({ email: victim.email, password: victim.password }));
      expect(throttled.status).to.equal(429);
      expect(throttledMessage(throttled, 'sign-in attempts')).to.match(/^Too many sign-in attempts\. Try again in \d+ seconds\.$/);

      const signedIn = await portalFor(randomAddress()).signIn({ email: victim.email, password: victim.password });
      expect(signedIn.sessionId).to.be.a('string').and.not.equal('');
      expect(signedIn.csrfToken).to.be.a('string');
    });

    it('when a peer forges X-Forwarded-For or the proof, then its failures still count against its own address', async () => {
      // Each attempt claims a new address; none is believed, so all 20 land on 127.0.0.1.
      const forgeries = [
        () => ({ 'x-forwarded-for': randomAddress() }),
        () => ({ 'x-switchboard-client-address': signClientAddress({ address: randomAddress(), secret: 'not the shared secret, but long enough' }) }),
        () => ({ 'x-switchboard-client-address': signClientAddress({ address: randomAddress(), secret }, Date.now() - 5 * 60_000) }),
        () => ({ 'x-switchboard-client-address': `${randomAddress()};${Date.now()};${'0'.repeat(64)}` }),
      ];
      for (let i = 0; i < 20; i += 1) {
        const res = await request(api.url).post('/api/v1/auth/login').set(forgeries[i % forgeries.length]!()).send({ email: strangerEmail(), password: 'guess guess' });
        expect(res.status, `attempt ${i + 1}`).to.equal(401);
      }
      for (const forge of forgeries) {
        const res = await request(api.url).post('/api/v1/auth/login').set(forge()).send({ email: strangerEmail(), password: 'guess guess' });
        expect(res.status).to.equal(429);
        expect(Number(res.headers['retry-after'])).to.be.within(1, 30);
      }
      // The portal's visitors are not the forger: a valid proof names another address.
      await portalFor(randomAddress()).signIn({ email: victim.email, password: victim.password });
    });
  });
});

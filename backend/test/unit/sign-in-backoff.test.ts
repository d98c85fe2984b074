import { expect } from 'chai';
import { signClientAddress, verifyClientAddress } from '../../src/http/client-address.js';
import { DEFAULT_LOGIN_LIMITS } from '../../src/modules/auth/login-throttle.js';
import { backoffScheduleMs, backoffSeconds, describeWait } from '../../src/modules/auth/sign-in-backoff.js';

describe('sign-in backoff', () => {
  const policy = { freeFailures: 5, baseSeconds: 30, maxSeconds: 900 };

  it('when failures stay under the free allowance, then there is no wait', () => {
    expect([0, 1, 2, 3, 4].map((n) => backoffSeconds(n, policy))).to.deep.equal([0, 0, 0, 0, 0]);
  });

  it('when failures go on, then the wait doubles from the base and stops at the cap', () => {
    expect([5, 6, 7, 8, 9, 10, 11, 500].map((n) => backoffSeconds(n, policy))).to.deep.equal([30, 60, 120, 240, 480, 900, 900, 900]);
    expect(backoffSeconds(Number.MAX_SAFE_INTEGER, policy)).to.equal(900);
  });

  it('when the schedule is built for Redis, then it lists every failure up to the first capped one, in ms', () => {
    expect(backoffScheduleMs(policy)).to.deep.equal([0, 0, 0, 0, 30_000, 60_000, 120_000, 240_000, 480_000, 900_000]);
    expect(backoffScheduleMs({ freeFailures: 1, baseSeconds: 900, maxSeconds: 900 })).to.deep.equal([900_000]);
  });

  it('when the defaults apply, then no counter ever blocks for more than 15 minutes and an account under attack slows sooner', () => {
    const { pair, pairUnderAttack, address } = DEFAULT_LOGIN_LIMITS;
    for (const p of [pair, pairUnderAttack, address]) expect(Math.max(...backoffScheduleMs(p))).to.equal(15 * 60 * 1000);
    expect(pairUnderAttack.freeFailures).to.be.lessThan(pair.freeFailures);
  });

  it('when a wait is described, then it reads in seconds or whole minutes', () => {
    expect(describeWait(1)).to.equal('1 second');
    expect(describeWait(45)).to.equal('45 seconds');
    expect(describeWait(120)).to.equal('2 minutes');
    expect(describeWait(899)).to.equal('15 minutes');
  });
});

describe('client address proof', () => {
  const secret = 'x'.repeat(40);

  it('when the portal signs an address, then the API reads it back within a minute and not after', () => {
    const now = 1_800_000_000_000;
    const proof = signClientAddress(secret, '203.0.113.9', now);
    expect(verifyClientAddress(secret, proof, now + 59_000)).to.equal('203.0.113.9');
    expect(verifyClientAddress(secret, proof, now + 61_000)).to.equal(undefined);
    expect(verifyClientAddress(secret, signClientAddress(secret, '2001:db8::1', now), now)).to.equal('2001:db8::1');
  });

  it('when the proof is forged, altered or malformed, then no address is taken from it', () => {
    const now = Date.now();
    const proof = signClientAddress(secret, '203.0.113.9', now);
    expect(verifyClientAddress('y'.repeat(40), proof, now)).to.equal(undefined);
    expect(verifyClientAddress(secret, proof.replace('203.0.113.9', '203.0.113.10'), now)).to.equal(undefined);
    expect(verifyClientAddress(secret, `${proof};extra`, now)).to.equal(undefined);
    expect(verifyClientAddress(secret, signClientAddress(secret, 'not-an-ip', now), now)).to.equal(undefined);
    expect(verifyClientAddress(secret, '203.0.113.9;abc;00', now)).to.equal(undefined);
  });
});

import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { signEventPayload, verifyEventSignature } from '../../src/modules/events/event-signature.js';
import { matchesEventType, isValidEventPattern } from '../../src/modules/events/event-type-filter.js';
import { retryDelayMs } from '../../src/modules/outbox/retry-policy.js';

describe('webhook signatures', () => {
  const secret = 'whsec_test_secret';
  const body = '{"id":"e1","type":"call.missed"}';

  it('when a payload is signed, then the header is t=<unix>,v1=<HMAC-SHA256(secret, "t.body")>', () => {
    const header = signEventPayload(secret, body, 1_700_000_000);
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(header).to.equal(`t=1700000000,v1=${expected}`);
  });

  it('when verified within the tolerance, then it passes; outside it, or altered, then it fails', () => {
    const header = signEventPayload(secret, body, 1_700_000_000);
    expect(verifyEventSignature(secret, header, body, 300, 1_700_000_100)).to.equal(true);
    expect(verifyEventSignature(secret, header, body, 300, 1_700_000_301)).to.equal(false);
    expect(verifyEventSignature(secret, header, `${body} `, 300, 1_700_000_000)).to.equal(false);
    expect(verifyEventSignature('other', header, body, 300, 1_700_000_000)).to.equal(false);
    expect(verifyEventSignature(secret, undefined, body)).to.equal(false);
    expect(verifyEventSignature(secret, 't=abc,v1=zz', body)).to.equal(false);
  });

  it('when several v1 values are sent (secret rotation), then any valid one is enough', () => {
    const header = signEventPayload(secret, body, 1_700_000_000);
    const rotated = `${header},v1=${'0'.repeat(64)}`;
    expect(verifyEventSignature(secret, rotated, body, 300, 1_700_000_000)).to.equal(true);
  });
});

describe('event type filters', () => {
  const cases: [string, string, boolean][] = [
    ['*', 'message.received', true],
    ['booking.*', 'booking.created', true],
    ['booking.*', 'booking.slot.held', true],
    ['booking.*', 'bookings.created', false],
    ['booking.*', 'booking', false],
    ['call.missed', 'call.missed', true],
    ['call.missed', 'call.missed.extra', false],
    ['*.missed', 'call.missed', true],
  ];
  for (const [pattern, type, expected] of cases) {
    it(`when the filter is ${pattern} and the event ${type}, then it ${expected ? 'matches' : 'does not match'}`, () => {
      expect(matchesEventType([pattern], type)).to.equal(expected);
    });
  }
  it('when a pattern has characters outside type names, then it is invalid', () => {
    expect(isValidEventPattern('booking.*')).to.equal(true);
    expect(isValidEventPattern('booking.(x|y)')).to.equal(false);
    expect(isValidEventPattern('')).to.equal(false);
  });
});

describe('retry backoff', () => {
  const policy = { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 10_000 };
  it('when attempts grow, then the delay doubles within [half, full] and is capped', () => {
    expect(retryDelayMs(policy, 1, () => 0)).to.equal(500);
    expect(retryDelayMs(policy, 1, () => 1)).to.equal(1000);
    expect(retryDelayMs(policy, 3, () => 0)).to.equal(2000);
    expect(retryDelayMs(policy, 3, () => 1)).to.equal(4000);
    expect(retryDelayMs(policy, 10, () => 1)).to.equal(10_000);
  });
});

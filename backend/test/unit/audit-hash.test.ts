import { expect } from 'chai';
import { auditHash, canonicalJson, chainKeyFor, GENESIS_HASH, type AuditRowContent } from '../../src/modules/audit/audit-hash.js';
import { redactSecrets } from '../../src/modules/audit/redact-secrets.js';

const content: AuditRowContent = {
  chainKey: 'agency:a', seq: 1, agencyId: 'a', tenantId: null, actorType: 'system', actorId: null, actingAsTenantId: null,
  action: 'x', targetType: null, targetId: null, before: null, after: { b: 1, a: [1, { d: 2, c: 3 }] }, requestId: null, ip: null,
  createdAt: '2025-01-01T00:00:00.000Z',
};

describe('audit hashing and redaction', () => {
  it('when objects differ only in key order, then their canonical JSON is identical', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).to.equal(canonicalJson({ a: { c: null, d: [2, { y: 2, z: 1 }] }, b: 1 }));
    expect(canonicalJson({ a: undefined, b: 'x' })).to.equal('{"b":"x"}');
  });

  it('when any content field changes, then the hash changes; the previous hash is part of it', () => {
    const base = auditHash(GENESIS_HASH, content);
    expect(base).to.match(/^[0-9a-f]{64}$/);
    expect(auditHash(GENESIS_HASH, { ...content, action: 'y' })).to.not.equal(base);
    expect(auditHash('f'.repeat(64), content)).to.not.equal(base);
  });

  it('when an event names a tenant, then it joins that tenant\'s chain, else the agency\'s', () => {
    expect(chainKeyFor('a', 't')).to.equal('tenant:t');
    expect(chainKeyFor('a', null)).to.equal('agency:a');
  });

  it('when before/after hold secrets at any depth, then they are redacted and the rest is kept', () => {
    expect(
      redactSecrets({ name: 'n', password: 'p', Authorization: 'b', nested: [{ api_key: 'k', refreshToken: 't', ok: 1 }], at: new Date(0) }),
    ).to.deep.equal({ name: 'n', password: '[redacted]', Authorization: '[redacted]', nested: [{ api_key: '[redacted]', refreshToken: '[redacted]', ok: 1 }], at: '1970-01-01T00:00:00.000Z' });
  });
});

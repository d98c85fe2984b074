import { expect } from 'chai';
import { resolveFlags } from '../../src/modules/feature-flags/evaluate-flags.js';
import { formatToken, newSecret, parseToken, secretMatches } from '../../src/modules/service-tokens/token-secret.js';

describe('authorization rules', () => {
  it('when a token is formatted and parsed, then id and secret round-trip and only the right secret matches', () => {
    const { secret, secretHash } = newSecret();
    const id = '0b0f6b8e-6a51-4f0e-9d53-1c8a2f3e4d5c';
    expect(parseToken(formatToken(id, secret))).to.deep.equal({ id, secret });
    expect(secretMatches(secret, secretHash)).to.equal(true);
    expect(secretMatches(newSecret().secret, secretHash)).to.equal(false);
    expect(parseToken('sbt_nope')).to.equal(undefined);
  });

  it('when flags have overrides at several levels, then the most specific wins', () => {
    const overrides = [
      { id: '1', flagKey: 'voice.agent', tenantId: null, userId: null, enabled: true },
      { id: '2', flagKey: 'voice.agent', tenantId: 't', userId: null, enabled: false },
    ];
    const flag = (who: { tenantId: string | null; userId: string | null }) => resolveFlags(overrides, who).find((f) => f.key === 'voice.agent')!;
    expect(flag({ tenantId: 't', userId: null })).to.include({ enabled: false, source: 'tenant' });
    expect(flag({ tenantId: 'other', userId: null })).to.include({ enabled: true, source: 'global' });
    expect(resolveFlags([], { tenantId: null, userId: null }).find((f) => f.key === 'audit.export')).to.include({ enabled: true, source: 'default' });
  });
});

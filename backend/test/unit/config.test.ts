import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config.js';
import { validEnv } from '../support/env.js';

describe('loadConfig', () => {
  it('when every required variable is set, then it returns a typed config with defaults', () => {
    const config = loadConfig(validEnv({ PUBLIC_URL: 'https://sb.example.com/' }));
    expect(config.http.port).to.equal(4000);
    expect(config.publicUrl).to.equal('https://sb.example.com');
    expect(config.database.migrationUrl).to.equal(config.database.url);
    expect(config.secrets.encryptionKey).to.have.length(32);
  });

  it('when variables are missing, then the error names each one', () => {
    const env = validEnv({ DATABASE_URL: undefined, SESSION_SECRET: undefined });
    expect(() => loadConfig(env)).to.throw(ConfigError).with.property('problems').that.deep.includes.members([
      'DATABASE_URL is required but not set',
      'SESSION_SECRET is required but not set',
    ]);
  });

  it('when a value is malformed, then the error says what a good value looks like', () => {
    const attempt = () => loadConfig(validEnv({ ENCRYPTION_KEY: 'short', API_PORT: 'eighty' }));
    expect(attempt).to.throw(ConfigError, /ENCRYPTION_KEY must be 32 bytes, base64-encoded/);
    expect(attempt).to.throw(ConfigError, /API_PORT/);
  });

  it('when an optional variable is set but empty, then its default applies', () => {
    const config = loadConfig(validEnv({ API_PORT: '', N8N_INTERNAL_URL: '' }));
    expect(config.http.port).to.equal(4000);
    expect(config.n8n.internalUrl).to.equal('http://127.0.0.1:5678');
  });

  it('when a required variable is empty, then it is reported as not set', () => {
    expect(() => loadConfig(validEnv({ REDIS_URL: '' }))).to.throw(ConfigError, /REDIS_URL is required but not set/);
  });

  it('when TRUSTED_PROXIES is unset or none, then no peer is believed; a list of names, addresses and CIDRs is kept as given', () => {
    expect(loadConfig(validEnv({ TRUSTED_PROXIES: undefined })).http.trustedProxies).to.deep.equal([]);
    expect(loadConfig(validEnv({ TRUSTED_PROXIES: 'none' })).http.trustedProxies).to.deep.equal([]);
    expect(loadConfig(validEnv({ TRUSTED_PROXIES: 'loopback, uniquelocal,10.0.0.0/8 2001:db8::/32 192.0.2.7' })).http.trustedProxies)
      .to.deep.equal(['loopback', 'uniquelocal', '10.0.0.0/8', '2001:db8::/32', '192.0.2.7']);
  });

  it('when TRUSTED_PROXIES names something that is no address, then the error says what is allowed', () => {
    expect(() => loadConfig(validEnv({ TRUSTED_PROXIES: 'loopback,caddy' }))).to.throw(ConfigError, /TRUSTED_PROXIES has "caddy"/);
    expect(() => loadConfig(validEnv({ TRUSTED_PROXIES: '10.0.0.0/33' }))).to.throw(ConfigError, /TRUSTED_PROXIES/);
    expect(() => loadConfig(validEnv({ TRUSTED_PROXIES: '*' }))).to.throw(ConfigError, /TRUSTED_PROXIES/);
  });

  it('when CLIENT_ADDRESS_SECRET is missing or short, then the API does not start', () => {
    expect(() => loadConfig(validEnv({ CLIENT_ADDRESS_SECRET: undefined }))).to.throw(ConfigError, /CLIENT_ADDRESS_SECRET is required but not set/);
    expect(() => loadConfig(validEnv({ CLIENT_ADDRESS_SECRET: 'short' }))).to.throw(ConfigError, /CLIENT_ADDRESS_SECRET must be at least 32 characters/);
  });

  it('when no seed password is given, then one is generated and flagged as such', () => {
    const first = loadConfig(validEnv());
    const second = loadConfig(validEnv());
    expect(first.seed.adminPasswordGenerated).to.equal(true);
    expect(first.seed.adminPassword).to.not.equal(second.seed.adminPassword);
  });
});

import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { DecryptionError, decryptSecret, encryptSecret } from '../../src/infra/crypto.js';

const key = randomBytes(32);

function flipCharAt(token: string, partIndex: number): string {
  const parts = token.split('.');
  const part = parts[partIndex]!;
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] = bytes[0]! ^ 0x01;
  parts[partIndex] = bytes.toString('base64url');
  return parts.join('.');
}

describe('secret encryption (AES-256-GCM)', () => {
  it('when a secret is encrypted, then it decrypts to the same text and the token is versioned', () => {
    const token = encryptSecret(key, '{"authToken":"s3cr3t-ünïcode"}');
    expect(token).to.match(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/);
    expect(token).to.not.contain('s3cr3t');
    expect(decryptSecret(key, token)).to.equal('{"authToken":"s3cr3t-ünïcode"}');
  });

  it('when the same text is encrypted twice, then the tokens differ (random IV)', () => {
    expect(encryptSecret(key, 'same')).to.not.equal(encryptSecret(key, 'same'));
  });

  it('when the empty string is encrypted, then it round-trips', () => {
    expect(decryptSecret(key, encryptSecret(key, ''))).to.equal('');
  });

  it('when ciphertext, tag or IV is tampered with, then decryption fails', () => {
    const token = encryptSecret(key, 'top secret');
    for (const part of [1, 2, 3]) {
      expect(() => decryptSecret(key, flipCharAt(token, part))).to.throw(DecryptionError);
    }
  });

  it('when decrypted with another key, then it fails', () => {
    expect(() => decryptSecret(randomBytes(32), encryptSecret(key, 'x'))).to.throw(DecryptionError);
  });

  it('when the format or version is unknown, then it fails clearly', () => {
    expect(() => decryptSecret(key, 'v2.a.b.c')).to.throw(DecryptionError, /unsupported/);
    expect(() => decryptSecret(key, 'garbage')).to.throw(DecryptionError);
  });

  it('when the key is not 32 bytes, then it refuses', () => {
    expect(() => encryptSecret(randomBytes(16), 'x')).to.throw(/32 bytes/);
  });
});

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// Secrets at rest (provider credentials, webhook secrets): AES-256-GCM with a random 96-bit IV.
// Token format `v1.<iv>.<tag>.<ciphertext>` (base64url parts) so the scheme can change without a flag day.
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

function assertKey(key: Buffer): void {
  if (key.length !== 32) throw new Error('encryption key must be 32 bytes');
}

export function encryptSecret(key: Buffer, plaintext: string): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join('.');
}

export function decryptSecret(key: Buffer, token: string): string {
  assertKey(key);
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new DecryptionError('unsupported secret format');
  const [, ivPart, tagPart, dataPart] = parts as [string, string, string, string];
  const iv = Buffer.from(ivPart, 'base64url');
  const tag = Buffer.from(tagPart, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new DecryptionError('malformed secret');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(dataPart, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    // GCM authentication failed: wrong key, or the token was altered.
    throw new DecryptionError('secret failed authentication');
  }
}

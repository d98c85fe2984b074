import { createHash, randomBytes } from 'node:crypto';

/** A random single-use token (mailed or shown once) and the SHA-256 hash we store instead of it. */
export function newOneTimeToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOneTimeToken(token) };
}

export function hashOneTimeToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

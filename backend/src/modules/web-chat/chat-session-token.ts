import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** A visitor's web chat session: which agent (and so tenant) and which contact; signed, not stored. */
export type ChatSession = { agencyId: string; tenantId: string; agentId: string; contactId: string; expiresAt: number };

export const SESSION_DAYS = 30;

function signingKey(encryptionKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'switchboard web chat session v1', 32));
}

export function issueSessionToken(encryptionKey: Buffer, session: Omit<ChatSession, 'expiresAt'>, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ ...session, expiresAt: now + SESSION_DAYS * 86_400_000 })).toString('base64url');
  const signature = createHmac('sha256', signingKey(encryptionKey)).update(payload).digest('base64url');
  return `${payload}.${signature}`;
}

/** The session a token names, or undefined when it is forged, mangled or expired. */
export function readSessionToken(encryptionKey: Buffer, token: string, now = Date.now()): ChatSession | undefined {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  const expected = createHmac('sha256', signingKey(encryptionKey)).update(payload).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const session = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as ChatSession;
    return session.expiresAt > now ? session : undefined;
  } catch {
    return undefined;
  }
}

import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';

/** Stores a new reset token hash; any earlier unused token of the user stops working. */
export async function replaceResetToken(t: Transaction, userId: string, tokenHash: string, expiresAt: Date): Promise<void> {
  await queryRows(t, `UPDATE password_reset_tokens SET used_at = now() WHERE user_id = :userId AND used_at IS NULL`, {
    userId,
  });
  await queryRows(
    t,
    `INSERT INTO password_reset_tokens (user_id, token_hash, expires_at) VALUES (:userId, :tokenHash, :expiresAt)`,
    { userId, tokenHash, expiresAt },
  );
}

/** Marks the token used if it is unused and unexpired, atomically; returns its user, else undefined. */
export function consumeResetToken(t: Transaction, tokenHash: string): Promise<{ userId: string } | undefined> {
  return queryOne(
    t,
    `UPDATE password_reset_tokens SET used_at = now(), updated_at = now()
      WHERE token_hash = :tokenHash AND used_at IS NULL AND expires_at > now()
      RETURNING user_id AS "userId"`,
    { tokenHash },
  );
}

import type { Transaction } from 'sequelize';
import { queryOne } from '../../db/sql.js';
import { linkIdentity } from '../auth/account-repository.js';

/** An owner who signed up with Google: no password (they sign in with Google, or set one through "Forgot password"), the Google account linked. */
export async function createGoogleUser(tx: Transaction, owner: { email: string; name: string; subject: string }): Promise<string> {
  const row = await queryOne<{ id: string }>(
    tx, 'INSERT INTO users (email, name, password_hash) VALUES (:email, :name, NULL) RETURNING id', owner,
  );
  await linkIdentity(tx, { userId: row!.id, provider: 'google', subject: owner.subject, email: owner.email });
  return row!.id;
}

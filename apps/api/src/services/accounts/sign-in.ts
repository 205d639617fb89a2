// Checking a password; the same answer (and about the same time) for an unknown e-mail and a
// wrong password, so sign-in does not reveal who has an account.
import type { DbClient, User } from '@praxis/db';
import { ApiError } from '../../lib/api-error';
import { verifyPassword } from './password';

export async function signIn(db: DbClient, input: { email: string; password: string }): Promise<User> {
  const user = await db.user.findUnique({ where: { email: input.email.trim().toLowerCase() } });
  const ok = await verifyPassword(user?.passwordHash, input.password);
  if (!user || !ok) throw new ApiError(401, 'INVALID_CREDENTIALS', 'the e-mail or the password is wrong');
  return user;
}

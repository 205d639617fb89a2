// Creating an account. Without a configured admin, the first account of an empty database
// becomes admin; an advisory lock makes "first" true even for simultaneous sign-ups.
import type { DbClient, User } from '@praxis/db';
import { ApiError } from '../../lib/api-error';
import { hashPassword } from './password';

const FIRST_USER_LOCK = 7_318_004_212;

export async function signUp(db: DbClient, input: { email: string; password: string; name: string }, options: { firstUserIsAdmin: boolean }): Promise<User> {
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_USER_LOCK}::bigint)`;
      const first = options.firstUserIsAdmin && (await tx.user.count()) === 0;
      return tx.user.create({ data: { email, name: input.name.trim(), passwordHash, role: first ? 'admin' : 'learner' } });
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') throw new ApiError(409, 'EMAIL_TAKEN', `an account with the e-mail ${email} already exists`);
    throw error;
  }
}

// Creating an account, without telling anyone whether the e-mail already had one: the password
// is checked and hashed in every case, the insert skips an existing e-mail, and the caller gets
// the same answer either way (the existing account is left exactly as it was). Without a
// configured admin, the first account of an empty database becomes admin; an advisory lock makes
// "first" true even for simultaneous sign-ups.
import type { DbClient } from '@praxis/db';
import { hashPassword } from './password';
import { assertStrongPassword } from './password-policy';

const FIRST_USER_LOCK = 7_318_004_212;

export const SIGN_UP_ANSWER = 'If this e-mail had no account, it has one now: sign in with it. If it had one, nothing changed: sign in with its password.';

export async function signUp(db: DbClient, input: { email: string; password: string; name: string }, options: { firstUserIsAdmin: boolean }): Promise<void> {
  const email = input.email.trim().toLowerCase();
  const name = input.name.trim();
  assertStrongPassword(input.password, [email, name]);
  const passwordHash = await hashPassword(input.password);
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_USER_LOCK}::bigint)`;
    const first = options.firstUserIsAdmin && (await tx.user.count()) === 0;
    await tx.user.createMany({ data: [{ email, name, passwordHash, role: first ? 'admin' : 'learner' }], skipDuplicates: true });
  });
}

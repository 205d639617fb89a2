// Password hashing with argon2id (the argon2 package's native binding, OWASP's parameters).
import argon2 from 'argon2';

const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
// Verified against when the e-mail is unknown, so both paths take the same time.
const DUMMY = argon2.hash('praxis-dummy-password', OPTIONS);

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash ?? (await DUMMY), password);
  } catch {
    return false;
  }
}

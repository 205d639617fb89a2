// Sessions: a random token in an httpOnly cookie, its SHA-256 in the database (a leaked table
// does not sign anyone in). Expired sessions are refused and removed when seen.
import { createHash, randomBytes } from 'node:crypto';
import type { DbClient, User } from '@praxis/db';

export const SESSION_COOKIE = 'praxis_session';
export const SESSION_DAYS = 7;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/** The stored id of the session behind a cookie token (what a terminal token names as `sid`). */
export function sessionIdOf(token: string): string {
  return digest(token);
}

/** Whether the session with this stored id still exists, is not expired and belongs to `userId`. */
export async function isSessionLive(db: DbClient, sessionId: string, userId: string): Promise<boolean> {
  const session = await db.session.findUnique({ where: { id: sessionId }, select: { userId: true, expiresAt: true } });
  return session !== null && session.userId === userId && session.expiresAt.getTime() > Date.now();
}

export async function createSession(db: DbClient, userId: string): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await db.session.create({ data: { id: digest(token), userId, expiresAt } });
  return { token, expiresAt };
}

export async function findSessionUser(db: DbClient, token: string | undefined): Promise<User | null> {
  if (!token || token.length > 100) return null;
  const session = await db.session.findUnique({ where: { id: digest(token) }, include: { user: true } });
  if (!session) return null;
  if (session.expiresAt.getTime() <= Date.now()) {
    await db.session.delete({ where: { id: session.id } }).catch(() => undefined);
    return null;
  }
  // Good enough for "last active" without a write on every request.
  if (Date.now() - session.lastSeenAt.getTime() > 3600_000) {
    await db.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date() } }).catch(() => undefined);
  }
  return session.user;
}

export async function deleteSession(db: DbClient, token: string | undefined): Promise<void> {
  if (token) await db.session.deleteMany({ where: { id: digest(token) } });
}

// Reading and changing accounts outside sign-in: the admin's list, a user's own language, and
// whether the next sign-up creates the administrator.
import type { DbClient } from '@praxis/db';
import { toPublicUser } from './public-user';

export async function listAccounts(db: DbClient) {
  return (await db.user.findMany({ orderBy: { createdAt: 'asc' } })).map(toPublicUser);
}

/** `locale` null: the web app follows the browser's language. */
export async function setLocale(db: DbClient, userId: string, locale: string | null) {
  return toPublicUser(await db.user.update({ where: { id: userId }, data: { locale } }));
}

/** No account yet and no administrator configured: the first sign-up becomes the admin. */
export async function firstSignUpIsAdmin(db: DbClient, adminConfigured: boolean): Promise<boolean> {
  return !adminConfigured && (await db.user.count()) === 0;
}

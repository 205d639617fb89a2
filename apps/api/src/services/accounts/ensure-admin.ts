// The configured first admin (PRAXIS_ADMIN_EMAIL/PASSWORD): created at start-up if missing,
// promoted to admin if it exists with another role. Its password is not reset on restarts.
import type { DbClient } from '@praxis/db';
import { hashPassword } from './password';

export async function ensureAdmin(db: DbClient, admin: { email: string; password: string }): Promise<'created' | 'promoted' | 'present'> {
  const existing = await db.user.findUnique({ where: { email: admin.email } });
  if (existing) {
    if (existing.role === 'admin') return 'present';
    await db.user.update({ where: { id: existing.id }, data: { role: 'admin' } });
    return 'promoted';
  }
  await db.user.create({ data: { email: admin.email, name: 'Administrator', passwordHash: await hashPassword(admin.password), role: 'admin' } });
  return 'created';
}

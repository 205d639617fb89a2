// An admin changing an account's role. The last admin cannot stop being one (not by their own
// hand, not by another's): a server needs someone who can manage accounts. Serialised by an
// advisory lock, so two admins demoting each other at once cannot both succeed.
import type { DbClient, Role } from '@praxis/db';
import { ApiError, notFound } from '../../lib/api-error';

const ROLE_CHANGE_LOCK = 7_318_004_213;

export async function changeRole(db: DbClient, userId: string, role: Role) {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ROLE_CHANGE_LOCK}::bigint)`;
    const found = await tx.user.findUnique({ where: { id: userId } });
    if (!found) throw notFound('user', userId);
    if (found.role === 'admin' && role !== 'admin' && (await tx.user.count({ where: { role: 'admin' } })) <= 1) {
      throw new ApiError(409, 'LAST_ADMIN', `${found.email} is the only admin; make another account admin first`);
    }
    return tx.user.update({ where: { id: found.id }, data: { role } });
  });
}

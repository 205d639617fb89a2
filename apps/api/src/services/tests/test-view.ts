// A test as the API shows it to a user: its managers only to those who manage it.
import type { DbClient, Test, User } from '@praxis/db';
import { managersOf, WITH_MANAGERS } from '../access/co-instructors';
import { isAdmin } from '../access/staff-access';
import { readSelection } from './test-schemas';

export function toTest(t: Test & { owner: User | null; instructors: { userId: string; user: User }[] }, user: User) {
  const canManage = isAdmin(user) || t.ownerId === user.id || t.instructors.some((i) => i.userId === user.id);
  const { owner: _o, instructors: _i, ownerId: _id, ...rest } = t;
  return { ...rest, selection: readSelection(t.selection), canManage, ...(canManage ? managersOf(t) : { owner: null, instructors: [] }) };
}

/** Test `testId` as `user` sees it (the caller has checked that they may). */
export async function viewTest(db: DbClient, testId: string, user: User) {
  return toTest(await db.test.findUniqueOrThrow({ where: { id: testId }, include: WITH_MANAGERS }), user);
}

// Which tests a user can see: staff see all; a learner sees open tests and the tests assigned to
// a cohort they belong to (anything else is "not found", so ids reveal nothing).
import type { DbClient, User } from '@praxis/db';
import { notFound } from '../../lib/api-error';

export const isStaff = (user: User) => user.role === 'instructor' || user.role === 'admin';

const learnerFilter = (user: User) => ({
  OR: [{ open: true }, { assignments: { some: { cohort: { members: { some: { userId: user.id } } } } } }],
});

export async function findVisibleTest(db: DbClient, user: User, testId: string) {
  const test = await db.test.findFirst({
    where: isStaff(user) ? { id: testId } : { id: testId, ...learnerFilter(user) },
  });
  if (!test) throw notFound('test', testId);
  return test;
}

export async function listVisibleTests(db: DbClient, user: User) {
  return db.test.findMany({
    where: isStaff(user) ? {} : learnerFilter(user),
    orderBy: { createdAt: 'asc' },
  });
}

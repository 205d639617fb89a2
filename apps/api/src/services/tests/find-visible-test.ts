// Which tests a user can see: admins all; an instructor the tests they manage (own or
// co-instruct) and, like a learner, open tests and the tests assigned to a cohort they belong to;
// a learner only the latter. Anything else is "not found", so ids reveal nothing.
import type { DbClient, User } from '@praxis/db';
import { notFound } from '../../lib/api-error';
import { isAdmin, isStaff, managedBy } from '../access/staff-access';

const learnerVisible = (user: User) => [{ open: true }, { assignments: { some: { cohort: { members: { some: { userId: user.id } } } } } }];

function visibleTo(user: User) {
  if (isAdmin(user)) return {};
  return { OR: [...learnerVisible(user), ...(isStaff(user) ? managedBy(user).OR ?? [] : [])] };
}

export async function findVisibleTest(db: DbClient, user: User, testId: string) {
  const test = await db.test.findFirst({ where: { id: testId, ...visibleTo(user) } });
  if (!test) throw notFound('test', testId);
  return test;
}

export async function listVisibleTests(db: DbClient, user: User) {
  return db.test.findMany({ where: visibleTo(user), orderBy: { createdAt: 'asc' }, include: { owner: true, instructors: { include: { user: true }, orderBy: { addedAt: 'asc' } } } });
}

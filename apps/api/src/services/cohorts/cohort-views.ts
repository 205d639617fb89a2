// What the cohort routes read and change besides the actions of cohort-actions.ts: a cohort with
// its managers, the list an instructor manages, one cohort with members and assignments, the
// invite-code lookup, and the removals. The routes check access first and shape the answer.
import type { DbClient, User } from '@praxis/db';
import { ApiError, notFound } from '../../lib/api-error';
import { managersOf, WITH_MANAGERS } from '../access/co-instructors';
import { managedBy } from '../access/staff-access';
import { localizeTestsTexts } from '../tests/test-texts';
import { newInviteCode } from './cohort-actions';

type CohortWithManagers = Awaited<ReturnType<typeof cohortWithManagers>>;

const cohortWithManagers = (db: DbClient, cohortId: string) => db.cohort.findUniqueOrThrow({ where: { id: cohortId }, include: WITH_MANAGERS });

function toCohort(c: CohortWithManagers) {
  return { id: c.id, name: c.name, inviteCode: c.inviteCode, createdAt: c.createdAt, ...managersOf(c) };
}

export async function viewCohort(db: DbClient, cohortId: string) {
  return toCohort(await cohortWithManagers(db, cohortId));
}

export async function listManagedCohorts(db: DbClient, user: User) {
  const cohorts = await db.cohort.findMany({
    where: managedBy(user),
    orderBy: { createdAt: 'asc' },
    include: { ...WITH_MANAGERS, _count: { select: { members: true, assignments: true } } },
  });
  return cohorts.map((c) => ({ ...toCohort(c), members: c._count.members, tests: c._count.assignments }));
}

export async function viewCohortDetail(db: DbClient, cohortId: string) {
  const c = await db.cohort.findUniqueOrThrow({
    where: { id: cohortId },
    include: { ...WITH_MANAGERS, members: { include: { user: true }, orderBy: { joinedAt: 'asc' } }, assignments: { include: { test: true } } },
  });
  return {
    ...toCohort(c),
    members: c.members.map((m) => ({ userId: m.userId, name: m.user.name, email: m.user.email, joinedAt: m.joinedAt })),
    assignments: c.assignments.map((a) => ({ testId: a.testId, title: a.test.title, dueAt: a.dueAt })),
  };
}

export async function unassignTest(db: DbClient, cohortId: string, testId: string): Promise<void> {
  const removed = await db.cohortTest.deleteMany({ where: { cohortId, testId } });
  if (removed.count === 0) throw notFound('assignment', `${cohortId}/${testId}`);
}

export async function cohortNameOfInvite(db: DbClient, code: string): Promise<string> {
  const c = await db.cohort.findUnique({ where: { inviteCode: code }, select: { name: true } });
  if (!c) throw new ApiError(404, 'INVITE_UNKNOWN', 'this invite code does not belong to any cohort; ask your instructor for the current link');
  return c.name;
}

export async function replaceInviteCode(db: DbClient, cohortId: string) {
  await db.cohort.update({ where: { id: cohortId }, data: { inviteCode: newInviteCode() } });
  return viewCohort(db, cohortId);
}

export async function removeMember(db: DbClient, cohortId: string, userId: string): Promise<void> {
  const removed = await db.cohortMember.deleteMany({ where: { cohortId, userId } });
  if (removed.count === 0) throw notFound('cohort member', `${cohortId}/${userId}`);
}

/** The tests assigned to the learner's cohorts, titled in the reader's `language` (test-texts.ts). */
export async function myAssignments(db: DbClient, userId: string, language?: string) {
  const rows = await db.cohortTest.findMany({
    where: { cohort: { members: { some: { userId } } } },
    include: { cohort: true, test: true },
    orderBy: { dueAt: 'asc' },
  });
  const texts = await localizeTestsTexts(db, rows.map((r) => r.test), language);
  return rows.map((r) => ({ cohortId: r.cohortId, cohort: r.cohort.name, testId: r.testId, title: texts.get(r.testId)!.title, dueAt: r.dueAt }));
}

// Who manages what among staff: banks, tests and cohorts belong to their owner and the
// co-instructors the owner names; instructors see and manage only those, admins everything.
// Anything else is "not found", so an id reveals nothing. A learner's attempt is supervised by
// whoever manages its test, or leads a cohort the learner is in that has the test assigned.
import type { DbClient, User } from '@praxis/db';
import { ApiError, notFound } from '../../lib/api-error';

export const isAdmin = (user: User) => user.role === 'admin';
export const isStaff = (user: User) => user.role === 'instructor' || user.role === 'admin';

/** The where-clause of banks, tests and cohorts `user` manages (the same shape for all three). */
export function managedBy(user: User) {
  return isAdmin(user) ? {} : { OR: [{ ownerId: user.id }, { instructors: { some: { userId: user.id } } }] };
}

export async function findManagedBank(db: DbClient, user: User, bankId: string) {
  const bank = isStaff(user) ? await db.bank.findFirst({ where: { id: bankId, ...managedBy(user) } }) : null;
  if (!bank) throw notFound('bank', bankId);
  return bank;
}

/** Version `version` of a bank `user` manages; 404 names the bank and version otherwise. */
export async function findManagedBankVersion(db: DbClient, user: User, bankId: string, version: number) {
  await findManagedBank(db, user, bankId);
  const v = await db.bankVersion.findUnique({ where: { bankId_version: { bankId, version } } });
  if (!v) throw notFound('bank version', `${bankId}@${version}`);
  return v;
}

export async function findManagedTest(db: DbClient, user: User, testId: string) {
  const test = isStaff(user) ? await db.test.findFirst({ where: { id: testId, ...managedBy(user) } }) : null;
  if (!test) throw notFound('test', testId);
  return test;
}

export async function findManagedCohort(db: DbClient, user: User, cohortId: string) {
  const cohort = isStaff(user) ? await db.cohort.findFirst({ where: { id: cohortId, ...managedBy(user) } }) : null;
  if (!cohort) throw notFound('cohort', cohortId);
  return cohort;
}

/** Whether `user` (staff) may look at an attempt of `learnerId` on `testId`: its results, terminals, recordings. */
export async function canSupervise(db: DbClient, user: User, attempt: { testId: string; userId: string }): Promise<boolean> {
  if (!isStaff(user)) return false;
  if (isAdmin(user)) return true;
  const [test, cohort] = await Promise.all([
    db.test.count({ where: { id: attempt.testId, ...managedBy(user) } }),
    db.cohort.count({ where: { ...managedBy(user), members: { some: { userId: attempt.userId } }, assignments: { some: { testId: attempt.testId } } } }),
  ]);
  return test + cohort > 0;
}

/**
 * The filter of a test's attempts `user` may list: all of them when they manage the test, else
 * those of the learners of their cohorts that have the test assigned; "not found" when neither.
 */
export async function supervisedAttemptsOf(db: DbClient, user: User, testId: string) {
  if ((await db.test.count({ where: { id: testId, ...managedBy(user) } })) > 0) return {};
  const leads = { ...managedBy(user), assignments: { some: { testId } } };
  if ((await db.cohort.count({ where: leads })) === 0) throw notFound('test', testId);
  return { user: { memberships: { some: { cohort: leads } } } };
}

/** The owner alone (or an admin) names co-instructors. */
export function assertOwner(user: User, resource: { ownerId: string | null }, what: string) {
  if (!isAdmin(user) && resource.ownerId !== user.id) {
    throw new ApiError(403, 'OWNER_ONLY', `only the ${what}'s owner or an admin names its co-instructors`);
  }
}

// Cohorts: create one with an invite code, join by code, assign a test with a due date.
import { randomBytes } from 'node:crypto';
import type { DbClient } from '@praxis/db';
import { ApiError, notFound } from '../../lib/api-error';

/** 10 characters without look-alikes (0/O, 1/l/I), easy to read aloud or type from a slide. */
export function newInviteCode(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  return [...randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('');
}

export async function createCohort(db: DbClient, name: string, userId: string) {
  return db.cohort.create({ data: { name, inviteCode: newInviteCode(), ownerId: userId } });
}

export async function joinCohort(db: DbClient, code: string, userId: string) {
  const cohort = await db.cohort.findUnique({ where: { inviteCode: code.trim().toUpperCase() } });
  if (!cohort) throw new ApiError(404, 'INVITE_UNKNOWN', `no cohort has the invite code "${code}"`);
  await db.cohortMember.upsert({ where: { cohortId_userId: { cohortId: cohort.id, userId } }, create: { cohortId: cohort.id, userId }, update: {} });
  return cohort;
}

export async function assignTest(db: DbClient, cohortId: string, testId: string, dueAt: Date | null) {
  const [cohort, test] = await Promise.all([db.cohort.findUnique({ where: { id: cohortId } }), db.test.findUnique({ where: { id: testId } })]);
  if (!cohort) throw notFound('cohort', cohortId);
  if (!test) throw notFound('test', testId);
  return db.cohortTest.upsert({ where: { cohortId_testId: { cohortId, testId } }, create: { cohortId, testId, dueAt }, update: { dueAt } });
}

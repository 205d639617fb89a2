// Lists of attempts: a learner's own (newest first, for their home page) and those of a test that
// a staff member supervises (all when they manage the test, else their cohorts' learners').
import type { DbClient, User } from '@praxis/db';
import { supervisedAttemptsOf } from '../access/staff-access';
import { localizeTestsTexts } from '../tests/test-texts';

/** The learner's attempts, each titled like its test in the reader's `language` (test-texts.ts). */
export async function myAttempts(db: DbClient, userId: string, language?: string) {
  const rows = await db.attempt.findMany({ where: { userId }, include: { test: true }, orderBy: { createdAt: 'desc' } });
  const texts = await localizeTestsTexts(db, rows.map((a) => a.test), language);
  return rows.map((a) => ({ id: a.id, testId: a.testId, title: texts.get(a.testId)!.title, status: a.status, score: a.score, maxScore: a.maxScore, createdAt: a.createdAt, deadlineAt: a.deadlineAt }));
}

export async function supervisedAttempts(db: DbClient, user: User, testId: string) {
  const rows = await db.attempt.findMany({ where: { testId, ...(await supervisedAttemptsOf(db, user, testId)) }, include: { user: true }, orderBy: { createdAt: 'desc' } });
  return rows.map((a) => ({ id: a.id, userId: a.userId, learner: a.user.name, email: a.user.email, status: a.status, score: a.score, maxScore: a.maxScore, startedAt: a.startedAt, deadlineAt: a.deadlineAt, endReason: a.endReason }));
}

/** The attempt as stored now (after an event subscription, so nothing between is lost). */
export function currentAttempt(db: DbClient, attemptId: string) {
  return db.attempt.findUniqueOrThrow({ where: { id: attemptId } });
}

// Starting an attempt: the test must be visible and open, the learner must have attempts left
// and none running; the latest published bank version is pinned and the questions drawn, all in
// one transaction. Provisioning is the runner's job (it may queue).
import type { DbClient, User } from '@praxis/db';
import { ApiError } from '../../lib/api-error';
import { latestPublishedVersion } from '../banks/bank-views';
import { findVisibleTest } from '../tests/find-visible-test';
import type { Selection } from '../tests/test-schemas';
import { selectQuestions } from '../tests/select-questions';

const UNFINISHED = ['queued', 'provisioning', 'active', 'grading'] as const;

export async function startAttempt(db: DbClient, user: User, testId: string, now = new Date()) {
  const test = await findVisibleTest(db, user, testId);
  if (test.availableFrom && now < test.availableFrom) throw new ApiError(409, 'TEST_NOT_OPEN', `"${test.title}" opens at ${test.availableFrom.toISOString()}`);
  if (test.availableUntil && now >= test.availableUntil) throw new ApiError(409, 'TEST_CLOSED', `"${test.title}" closed at ${test.availableUntil.toISOString()}`);
  const version = await latestPublishedVersion(db, test.bankId);
  if (!version) throw new ApiError(409, 'BANK_UNPUBLISHED', 'the test\'s bank has no published version');
  const rows = await db.question.findMany({ where: { bankVersionId: version.id } });
  const drawn = selectQuestions(test.selection as Selection, test.lab, rows);
  if (drawn.length === 0) throw new ApiError(409, 'TEST_EMPTY', `the current version of the bank has none of the test's questions`);

  return db.$transaction(async (tx) => {
    // One start at a time per learner and test, so two clicks cannot both pass the checks below.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${user.id}:${test.id}`}))`;
    const previous = await tx.attempt.findMany({ where: { userId: user.id, testId: test.id }, select: { id: true, status: true } });
    const running = previous.find((a) => (UNFINISHED as readonly string[]).includes(a.status));
    if (running) throw new ApiError(409, 'ATTEMPT_IN_PROGRESS', `you already have an attempt of this test in progress (${running.id})`, { attemptId: running.id });
    const counted = previous.filter((a) => a.status !== 'failed').length;
    if (counted >= test.attemptsAllowed) throw new ApiError(409, 'ATTEMPTS_EXHAUSTED', `"${test.title}" allows ${test.attemptsAllowed} attempt(s) and you have used them`);
    return tx.attempt.create({
      data: {
        testId: test.id,
        userId: user.id,
        bankVersionId: version.id,
        maxScore: drawn.reduce((s, q) => s + q.points, 0),
        questions: { create: drawn.map((q, i) => ({ position: i + 1, questionId: q.id, maxPoints: q.points })) },
      },
    });
  });
}

// Starting an attempt: the test must be visible and open, the learner must have attempts left
// (a cancelled attempt is one used; a failed one, the server's fault, is not), none of this test
// running and fewer unfinished attempts in all than the server allows one learner
// (PRAXIS_MAX_UNFINISHED_ATTEMPTS), and the drawn labs must fit the server's instances; the latest
// published bank version is pinned and the questions drawn (with the tasks that unlock the
// stages of drawn questions), all in one transaction. Provisioning
// is the runner's job (it may queue).
import type { DbClient, User } from '@praxis/db';
import { ApiError } from '../../lib/api-error';
import { readBankContent } from '../banks/bank-content';
import { latestPublishedVersion } from '../banks/bank-views';
import { findVisibleTest } from '../tests/find-visible-test';
import { selectQuestions } from '../tests/select-questions';
import { readSelection } from '../tests/test-schemas';
import { withUnlockingTasks } from './attempt-stages';
import { UNFINISHED } from './attempt-statuses';

export interface StartLimits {
  /** PRAXIS_MAX_INSTANCES: an attempt needs one instance per lab. */
  maxInstances: number;
  /** PRAXIS_MAX_UNFINISHED_ATTEMPTS. */
  maxUnfinished: number;
}

export async function startAttempt(db: DbClient, user: User, testId: string, limits: StartLimits, now = new Date()) {
  const test = await findVisibleTest(db, user, testId);
  if (test.availableFrom && now < test.availableFrom) throw new ApiError(409, 'TEST_NOT_OPEN', `"${test.title}" opens at ${test.availableFrom.toISOString()}`);
  if (test.availableUntil && now >= test.availableUntil) throw new ApiError(409, 'TEST_CLOSED', `"${test.title}" closed at ${test.availableUntil.toISOString()}`);
  const version = await latestPublishedVersion(db, test.bankId);
  if (!version) throw new ApiError(409, 'BANK_UNPUBLISHED', 'the test\'s bank has no published version');
  const rows = await db.question.findMany({ where: { bankVersionId: version.id } });
  const labs = new Map(readBankContent(version).labs.map((l) => [l.id, l]));
  const drawn = withUnlockingTasks(selectQuestions(readSelection(test.selection), test.lab, rows), rows, labs);
  if (drawn.length === 0) throw new ApiError(409, 'TEST_EMPTY', `the current version of the bank has none of the test's questions`);
  const labCount = new Set(drawn.map((q) => q.lab)).size;
  if (labCount > limits.maxInstances) {
    throw new ApiError(409, 'TEST_EXCEEDS_CAPACITY', `an attempt of "${test.title}" needs ${labCount} lab instances at once and this server runs at most ${limits.maxInstances}; ask your instructor to narrow the test`);
  }

  return db.$transaction(async (tx) => {
    // One start at a time per learner, so two clicks (or two tests) cannot both pass the checks below.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`attempt-start:${user.id}`}))`;
    const unfinished = await tx.attempt.findMany({ where: { userId: user.id, status: { in: [...UNFINISHED] } }, select: { id: true, testId: true }, orderBy: { createdAt: 'asc' } });
    const running = unfinished.find((a) => a.testId === test.id);
    if (running) throw new ApiError(409, 'ATTEMPT_IN_PROGRESS', `you already have an attempt of this test in progress (${running.id})`, { attemptId: running.id });
    if (unfinished.length >= limits.maxUnfinished) {
      throw new ApiError(
        409,
        'UNFINISHED_ATTEMPTS_LIMIT',
        `you have ${unfinished.length} unfinished attempt(s) and this server allows ${limits.maxUnfinished} at a time: submit it, or leave the queue, before you start another`,
        { attemptIds: unfinished.map((a) => a.id) },
      );
    }
    const previous = await tx.attempt.findMany({ where: { userId: user.id, testId: test.id }, select: { status: true } });
    // Cancelled attempts count (leaving the queue is an attempt used); failed ones were the server's fault.
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

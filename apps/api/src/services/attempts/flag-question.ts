// The learner's "flag for review" mark on a question, kept on the server so it follows the
// learner to another browser or a reload. Only while the attempt runs, like answers.
import type { DbClient } from '@praxis/db';
import { ApiError } from '../../lib/api-error';
import { assertOpen } from './answer-question';
import type { LoadedAttempt } from './attempt-views';

export async function flagQuestion(db: DbClient, a: LoadedAttempt, position: number, flagged: boolean) {
  const now = new Date();
  assertOpen(a, now);
  if (!a.questions.some((q) => q.position === position)) throw new ApiError(404, 'QUESTION_NOT_FOUND', `the attempt has no question ${position} (it has ${a.questions.length})`);
  // Same statement as the status check, so a flag cannot land after the deadline.
  const saved = await db.attemptQuestion.updateMany({
    where: { attemptId: a.id, position, attempt: { status: 'active', deadlineAt: { gt: now } } },
    data: { flagged },
  });
  if (saved.count === 0) throw new ApiError(409, 'ATTEMPT_TIME_UP', 'time is up: the flag was not saved');
  return { position, flagged };
}

// What a learner does besides answering: keep notes in the attempt's notepad, give up on a
// question in a practice test (its solution is shown and it earns nothing), and report how long
// a question was open (for the score report; informational, never graded).
import type { DbClient } from '@praxis/db';
import { ApiError } from '../../lib/api-error';
import { assertOpen } from './answer-question';
import { locksOfAttempt, type LoadedAttempt } from './attempt-views';
import { assertQuestionOpen } from './attempt-stages';

export const MAX_NOTES = 20_000;
/** One report adds at most this much: the page reports every half minute and on leaving a question. */
export const MAX_SECONDS_PER_REPORT = 120;

export async function saveNotes(db: DbClient, a: LoadedAttempt, notes: string) {
  if (notes.length > MAX_NOTES) throw new ApiError(400, 'NOTES_TOO_LONG', `the notepad holds at most ${MAX_NOTES} characters (got ${notes.length})`);
  const saved = await db.attempt.update({ where: { id: a.id }, data: { notes }, select: { notes: true } });
  return { notes: saved.notes, savedAt: new Date() };
}

function questionAt(a: LoadedAttempt, position: number) {
  const q = a.questions.find((x) => x.position === position);
  if (!q) throw new ApiError(404, 'QUESTION_NOT_FOUND', `the attempt has no question ${position} (it has ${a.questions.length})`);
  return q;
}

export async function giveUpQuestion(db: DbClient, a: LoadedAttempt, position: number) {
  if (a.test.mode !== 'practice') throw new ApiError(403, 'SOLUTION_NOT_ALLOWED', 'this is an exam: solutions are shown with the result, after submission');
  assertOpen(a);
  const q = questionAt(a, position);
  // A locked question's solution would give away the next stage.
  assertQuestionOpen(locksOfAttempt(a), position);
  const at = q.gaveUpAt ?? new Date();
  if (!q.gaveUpAt) await db.attemptQuestion.update({ where: { attemptId_position: { attemptId: a.id, position } }, data: { gaveUpAt: at } });
  return { position, gaveUpAt: at };
}

export async function recordTimeSpent(db: DbClient, a: LoadedAttempt, position: number, seconds: number) {
  assertOpen(a);
  questionAt(a, position);
  const add = Math.max(0, Math.min(MAX_SECONDS_PER_REPORT, Math.round(seconds)));
  const saved = await db.attemptQuestion.update({
    where: { attemptId_position: { attemptId: a.id, position } },
    data: { secondsSpent: { increment: add } },
    select: { secondsSpent: true },
  });
  return { position, secondsSpent: saved.secondsSpent };
}

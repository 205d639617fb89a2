// During an attempt: saving a draft answer (refused once the server's deadline has passed, even
// before the sweep ends the attempt, and on a question of a stage not yet open) and running one
// task's check on demand when the test allows (or the task unlocks a stage), which opens the
// stages its pass completes.
import type { DbClient } from '@praxis/db';
import { gradeQuestion } from '@praxis/grader';
import { pingEngine, type EngineSet, type ImageOptions } from '@praxis/sandbox';
import { ApiError } from '../../lib/api-error';
import { labOfVersion } from '../banks/bank-views';
import { readQuestionSpec } from '../banks/bank-content';
import { locksOfAttempt, type LoadedAttempt } from './attempt-views';
import { assertQuestionOpen, unlockStages, unlocksAStage, type UnlockInput } from './attempt-stages';

/** The sentence a learner gets while the host of their machines does not answer. */
export function engineDown(since: Date | null): ApiError {
  return new ApiError(
    503,
    'ENGINE_DOWN',
    `the host running your machines stopped answering${since ? ` at ${since.toISOString()}` : ''}; your answers are kept, and if it comes back your time is given back (otherwise the attempt ends without counting against you)`,
  );
}

export function assertOpen(a: LoadedAttempt, now = new Date()) {
  if (a.status !== 'active' || !a.deadlineAt) throw new ApiError(409, 'ATTEMPT_NOT_ACTIVE', `the attempt is ${a.status}, not active`);
  if (now >= a.deadlineAt) throw new ApiError(409, 'ATTEMPT_TIME_UP', `time is up: the deadline was ${a.deadlineAt.toISOString()}`);
}

function questionAt(a: LoadedAttempt, position: number) {
  const q = a.questions.find((x) => x.position === position);
  if (!q) throw new ApiError(404, 'QUESTION_NOT_FOUND', `the attempt has no question ${position} (it has ${a.questions.length})`);
  return { row: q, spec: readQuestionSpec(q.question) };
}

export async function saveAnswer(db: DbClient, a: LoadedAttempt, position: number, answer: string | string[]) {
  const now = new Date();
  assertOpen(a, now);
  const { spec } = questionAt(a, position);
  assertQuestionOpen(locksOfAttempt(a), position);
  if (spec.kind === 'task') throw new ApiError(400, 'ANSWER_NOT_EXPECTED', `question ${position} is a task: do it on the machines; nothing is typed here`);
  if (spec.kind === 'choice') {
    const ids = typeof answer === 'string' ? [answer] : answer;
    const known = new Set(spec.options.map((o) => o.id));
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length) throw new ApiError(400, 'OPTION_UNKNOWN', `question ${position} has no option ${unknown.map((u) => `"${u}"`).join(', ')}`);
    if (!spec.multiple && ids.length > 1) throw new ApiError(400, 'ONE_OPTION_ONLY', `question ${position} takes exactly one option`);
    answer = ids;
  } else if (typeof answer !== 'string') {
    throw new ApiError(400, 'ANSWER_NOT_TEXT', `question ${position} takes a short text answer`);
  }
  // The deadline is checked again in the same statement that writes, so a save racing the
  // deadline cannot land after it.
  const saved = await db.attemptQuestion.updateMany({
    where: { attemptId: a.id, position, attempt: { status: 'active', deadlineAt: { gt: now } } },
    data: { answer, answeredAt: now },
  });
  if (saved.count === 0) throw new ApiError(409, 'ATTEMPT_TIME_UP', 'time is up: the answer was not saved');
  return { position, answer, answeredAt: now };
}

export async function checkTask(db: DbClient, engines: EngineSet, images: ImageOptions, a: LoadedAttempt, position: number, log?: UnlockInput['log']) {
  assertOpen(a);
  const { spec, row } = questionAt(a, position);
  const lab = labOfVersion(a.bankVersion, row.question.lab);
  // A task that unlocks a stage is the way on: it can be checked in an exam too.
  if (!a.test.allowCheck && !(spec.kind === 'task' && unlocksAStage(lab, spec.id))) {
    throw new ApiError(403, 'CHECK_NOT_ALLOWED', 'this is an exam: tasks are checked when you submit, not before');
  }
  if (spec.kind !== 'task') throw new ApiError(400, 'CHECK_TASKS_ONLY', `question ${position} is not a task; only tasks can be checked during the attempt`);
  assertQuestionOpen(locksOfAttempt(a), position);
  const instance = a.instances.find((i) => i.lab === row.question.lab);
  if (!instance) throw new ApiError(409, 'ATTEMPT_NOT_ACTIVE', `question ${position} has no running lab`);
  const engine = await db.engine.findUnique({ where: { id: instance.engineId } });
  if (engine?.status === 'down') throw engineDown(engine.downSince);
  const docker = engines.get(instance.engineId);
  const result = await gradeQuestion({ docker, instanceId: instance.instanceId, variables: lab.variables, ...images }, spec, undefined);
  // The machines could not be read: if their engine does not answer, say so rather than "not yet".
  if (result.error && !(await pingEngine(docker, 2000)).up) throw engineDown(null);
  // The last result is kept so the page shows it again after a reload.
  const at = new Date();
  await db.attemptQuestion.update({
    where: { attemptId_position: { attemptId: a.id, position } },
    data: { checks: { increment: 1 }, lastCheckPassed: result.passed, lastCheckReason: result.reason, lastCheckAt: at, ...(result.passed && !row.passedCheckAt ? { passedCheckAt: at } : {}) },
  });
  // A pass may complete a stage of the lab: its setup runs in the nodes (once), then it opens.
  const mine = a.questions.filter((q) => q.question.lab === row.question.lab);
  const stages = result.passed
    ? await unlockStages({
        db,
        engines,
        attemptId: a.id,
        lab,
        instance,
        passed: new Set([...mine.filter((q) => q.passedCheckAt !== null).map((q) => q.question.key), spec.id]),
        keysInAttempt: new Set(mine.map((q) => q.question.key)),
        justPassed: spec.id,
        log,
      })
    : [];
  return { position, passed: result.passed, reason: result.reason, at, stages };
}

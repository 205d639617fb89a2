// Grading one question of an attempt. Choice questions are pure; answers compare with a value
// that may be computed on the live machines; tasks run their check in the trusted graders. The
// result carries the learner-facing reason and, separately, the raw output for instructors.
import type { AnswerQuestion, Question } from '@praxis/labs';
import { gradeChoice } from './grade-choice';
import { answerMatches } from './normalize-answer';
import { runScript, type GradeContext, type ScriptRun } from './run-check';

/** What the learner submitted: option ids (choice), a text (answer), nothing (task). */
export type Submission = string | readonly string[] | undefined;

export interface QuestionResult {
  questionId: string;
  kind: Question['kind'];
  passed: boolean;
  /** Points awarded (all or nothing). */
  points: number;
  maxPoints: number;
  /** Shown to the learner: why it did not pass ('' when it passed). */
  reason: string;
  durationMs: number;
  /** For instructors only: check output, the computed expected value. */
  raw: { run?: ScriptRun; expected?: string };
  /** Set when the question could not be graded (grader down, answer script failed). */
  error?: { code: string; message: string };
}

export interface ExpectedValue {
  ok: boolean;
  /** Every accepted form (expected value and alternatives), before normalisation. */
  accepted: string[];
  run?: ScriptRun;
  error?: { code: string; message: string };
}

/** The accepted answers of an answer question: the fixed or freshly computed value, plus alternatives. */
export async function resolveExpectedAnswer(ctx: GradeContext, question: AnswerQuestion): Promise<ExpectedValue> {
  if (question.expected.kind === 'value') return { ok: true, accepted: [question.expected.value, ...question.alternatives] };
  const script = { ...question.expected.script, nodes: question.expected.script.nodes.slice(0, 1) };
  const run = await runScript(ctx, script);
  const node = run.nodes[0]!;
  const value = node.stdout.trim();
  if (!run.passed || value === '') {
    const why = node.error?.message ?? (node.timedOut ? 'timed out' : value === '' ? `printed nothing (exit ${node.exitCode})` : `exited with ${node.exitCode}`);
    return { ok: false, accepted: [], run, error: { code: node.error?.code ?? 'ANSWER_UNRESOLVED', message: `the expected answer of "${question.id}" could not be computed: ${why}` } };
  }
  return { ok: true, accepted: [value, ...question.alternatives], run };
}

function asText(submission: Submission): string {
  if (typeof submission === 'string') return submission;
  return submission?.[0] ?? '';
}

export async function gradeQuestion(ctx: GradeContext, question: Question, submission: Submission): Promise<QuestionResult> {
  const started = performance.now();
  const base = { questionId: question.id, kind: question.kind, maxPoints: question.points };
  const done = (passed: boolean, reason: string, raw: QuestionResult['raw'] = {}, error?: QuestionResult['error']): QuestionResult => ({
    ...base,
    passed,
    points: passed ? question.points : 0,
    reason: passed ? '' : reason,
    durationMs: Math.round(performance.now() - started),
    raw,
    ...(error ? { error } : {}),
  });

  switch (question.kind) {
    case 'choice': {
      const selected = typeof submission === 'string' ? [submission] : [...(submission ?? [])];
      const v = gradeChoice(question, selected);
      return done(v.passed, v.reason);
    }
    case 'answer': {
      const given = asText(submission);
      if (given.trim() === '') return done(false, 'No answer was given.');
      const expected = await resolveExpectedAnswer(ctx, question);
      if (!expected.ok) {
        return done(false, 'The machines could not be read to check this answer; try again in a moment.', { run: expected.run }, expected.error);
      }
      const passed = answerMatches(given, expected.accepted, question.normalize, question.patterns ?? []);
      const shown = given.trim().length > 80 ? `${given.trim().slice(0, 80)}…` : given.trim();
      return done(passed, `"${shown}" is not the expected answer.`, { run: expected.run, expected: expected.accepted[0] });
    }
    case 'task': {
      const run = await runScript(ctx, question.check);
      const reasons = run.nodes.flatMap((n) => n.failures);
      const error = run.nodes.find((n) => n.error)?.error;
      return done(run.passed, reasons.length ? reasons.join('\n') : 'The check did not pass.', { run }, error);
    }
  }
}

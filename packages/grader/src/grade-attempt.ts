// Grading many questions of one lab instance at once: in parallel (bounded, so one attempt
// cannot flood Docker), each question independent, results in the lab's question order.
import type { Lab } from '@praxis/labs';
import { GraderError } from '@praxis/sandbox';
import { gradeQuestion, type QuestionResult, type Submission } from './grade-question';
import type { GradeContext } from './run-check';

export interface AttemptResult {
  results: QuestionResult[];
  score: number;
  maxScore: number;
  durationMs: number;
}

export interface GradeAttemptOptions {
  /** Grade only these questions (default: every question of the lab). */
  questionIds?: string[];
  /** Questions graded at the same time (default 4). */
  concurrency?: number;
}

export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** Grades the submissions of one attempt (keyed by question id) against its instance. */
export async function gradeAttempt(
  ctx: Omit<GradeContext, 'variables'> & { variables?: Record<string, string> },
  lab: Lab,
  submissions: Record<string, Submission>,
  options: GradeAttemptOptions = {},
): Promise<AttemptResult> {
  const started = performance.now();
  const byId = new Map(lab.questions.map((q) => [q.id, q]));
  const ids = options.questionIds ?? lab.questions.map((q) => q.id);
  const unknown = ids.filter((id) => !byId.has(id));
  if (unknown.length) throw new GraderError('QUESTION_UNKNOWN', `lab "${lab.id}" has no question ${unknown.map((u) => `"${u}"`).join(', ')}`);
  const full: GradeContext = { ...ctx, variables: ctx.variables ?? lab.variables };
  const results = await mapLimit(ids, options.concurrency ?? 4, (id) => gradeQuestion(full, byId.get(id)!, submissions[id]));
  return {
    results,
    score: results.reduce((s, r) => s + r.points, 0),
    maxScore: results.reduce((s, r) => s + r.maxPoints, 0),
    durationMs: Math.round(performance.now() - started),
  };
}

// `praxis lab grade`: grading some questions of a lab against a live instance, for an author who
// wants to read the failure messages a learner would get. Answer and choice questions are graded
// when the author gives an answer; otherwise the row shows what the grader expects.
import type { Lab, Question } from '@praxis/labs';
import { GraderError } from '@praxis/sandbox';
import { mapLimit } from './grade-attempt';
import { gradeQuestion, resolveExpectedAnswer } from './grade-question';
import type { GradeContext } from './run-check';

export interface AuthorGradeRow {
  questionId: string;
  kind: Question['kind'];
  /** Undefined when nothing was graded (an answer or choice question without a given answer). */
  passed?: boolean;
  points: number;
  maxPoints: number;
  /** What a learner would read ('' when passed), or what the grader expects when nothing was given. */
  reason: string;
  /** The expected answer: computed on the machines, the fixed value, or the correct option ids. */
  expected?: string;
  /** Set when the question could not be graded (node down, answer script failed). */
  error?: { code: string; message: string };
  /** For a failed check without FAIL: lines, the end of its stderr (why the script stopped). */
  note?: string;
  durationMs: number;
}

export interface GradeForAuthorOptions {
  /** Question ids to grade, in this order (default: every question of the lab). */
  questionIds?: string[];
  /** Answers by question id: text for answer questions, comma-separated option ids for choices. */
  answers?: Record<string, string>;
}

/** Throws GraderError QUESTION_UNKNOWN for unknown ids (in the list or in the answers). */
export async function gradeForAuthor(ctx: GradeContext, lab: Lab, options: GradeForAuthorOptions = {}): Promise<AuthorGradeRow[]> {
  const byId = new Map(lab.questions.map((q) => [q.id, q]));
  const ids = options.questionIds?.length ? options.questionIds : lab.questions.map((q) => q.id);
  const answers = options.answers ?? {};
  const unknown = [...new Set([...ids, ...Object.keys(answers)])].filter((id) => !byId.has(id));
  if (unknown.length) {
    throw new GraderError('QUESTION_UNKNOWN', `lab "${lab.id}" has no question ${unknown.map((u) => `"${u}"`).join(', ')} (questions: ${lab.questions.map((q) => q.id).join(', ')})`);
  }
  const tasksWithAnswers = Object.keys(answers).filter((id) => byId.get(id)!.kind === 'task');
  if (tasksWithAnswers.length) {
    throw new GraderError('QUESTION_UNKNOWN', `${tasksWithAnswers.map((u) => `"${u}"`).join(', ')} ${tasksWithAnswers.length === 1 ? 'is a task' : 'are tasks'}: tasks take no answer, their check reads the machines`);
  }
  return mapLimit(ids, 4, (id) => gradeOne(ctx, byId.get(id)!, answers[id]));
}

async function gradeOne(ctx: GradeContext, q: Question, answer: string | undefined): Promise<AuthorGradeRow> {
  const started = performance.now();
  const row = (r: Omit<AuthorGradeRow, 'questionId' | 'kind' | 'maxPoints' | 'durationMs'>): AuthorGradeRow => ({
    questionId: q.id,
    kind: q.kind,
    maxPoints: q.points,
    ...r,
    durationMs: Math.round(performance.now() - started),
  });

  if (q.kind === 'choice') {
    const correct = q.options.filter((o) => o.correct).map((o) => o.id).join(',');
    if (answer === undefined) return row({ points: 0, reason: `expected: ${correct}`, expected: correct });
    const r = await gradeQuestion(ctx, q, answer.split(',').map((s) => s.trim()).filter(Boolean));
    return row({ passed: r.passed, points: r.points, reason: r.reason, expected: correct });
  }
  if (q.kind === 'answer') {
    if (answer === undefined) {
      const e = await resolveExpectedAnswer(ctx, q);
      if (!e.ok) return row({ points: 0, reason: e.error?.message ?? 'the expected answer could not be computed', ...(e.error ? { error: e.error } : {}) });
      const [value, ...alternatives] = e.accepted;
      const also = alternatives.length ? ` (also accepted: ${alternatives.map((a) => `"${a}"`).join(', ')})` : '';
      return row({ points: 0, reason: `expected: "${value}"${also}`, expected: value });
    }
    const r = await gradeQuestion(ctx, q, answer);
    return row({ passed: r.passed, points: r.points, reason: r.reason, ...(r.raw.expected !== undefined ? { expected: r.raw.expected } : {}), ...(r.error ? { error: r.error } : {}) });
  }
  const r = await gradeQuestion(ctx, q, undefined);
  const silent = r.raw.run?.nodes.find((n) => !n.passed && n.failures.length === 0 && !n.error);
  const note = silent ? `no FAIL: line on ${silent.node} (exit ${silent.exitCode}${silent.stderr.trim() ? `, stderr: ${silent.stderr.trim().split('\n').pop()}` : ''})` : undefined;
  return row({ passed: r.passed, points: r.points, reason: r.reason, ...(r.error ? { error: r.error } : {}), ...(note ? { note } : {}) });
}

/** The rows as a terminal table: question, kind, passed, points, reason (one line per reason line). */
export function formatAuthorGrades(rows: readonly AuthorGradeRow[]): string {
  const header = ['question', 'kind', 'passed', 'points', 'reason'];
  const cells = rows.map((r) => [
    r.questionId,
    r.kind,
    r.error ? 'error' : r.passed === undefined ? '-' : r.passed ? 'yes' : 'no',
    `${r.passed === undefined ? '-' : r.points}/${r.maxPoints}`,
    [
      r.reason,
      r.passed === false && r.kind !== 'task' && r.expected !== undefined ? `expected: ${r.kind === 'answer' ? `"${r.expected}"` : r.expected}` : '',
      r.error ? `(${r.error.code}) ${r.error.message}` : '',
      r.note ? `note: ${r.note}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  ]);
  const widths = header.slice(0, -1).map((h, c) => Math.max(h.length, ...cells.map((r) => r[c]!.length)));
  const indent = widths.reduce((s, w) => s + w + 2, 0);
  const lines: string[] = [];
  for (const r of [header, ...cells]) {
    const [first = '', ...more] = r[4]!.split('\n');
    lines.push(`${r.slice(0, -1).map((cell, c) => cell.padEnd(widths[c]!)).join('  ')}  ${first}`.trimEnd());
    for (const m of more) lines.push(`${' '.repeat(indent)}${m}`.trimEnd());
  }
  const graded = rows.filter((r) => r.passed !== undefined);
  const score = graded.reduce((s, r) => s + r.points, 0);
  const max = graded.reduce((s, r) => s + r.maxPoints, 0);
  lines.push('', `${graded.filter((r) => r.passed).length}/${graded.length} graded questions passed, ${score}/${max} points${graded.length < rows.length ? `; ${rows.length - graded.length} shown with their expected answer only` : ''}`);
  return lines.join('\n');
}

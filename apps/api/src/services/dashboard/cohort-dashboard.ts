// A cohort's progress for its leads: per assigned test, each learner's state, best score and
// time spent; per question pass rates; the score distribution. One read of the graded rows, so
// the numbers of the page and of the CSV export come from the same function.
import type { DbClient } from '@praxis/db';
import { notFound } from '../../lib/api-error';
import { isUnfinished } from '../attempts/attempt-statuses';

export interface LearnerRow {
  userId: string;
  name: string;
  email: string;
  state: 'not-started' | 'in-progress' | 'finished';
  attempts: number;
  bestScore: number | null;
  maxScore: number | null;
  percent: number | null;
  minutesSpent: number | null;
  lastSubmittedAt: Date | null;
  endReason: string | null;
}

const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round1 = (x: number) => Math.round(x * 10) / 10;

export async function buildCohortDashboard(db: DbClient, cohortId: string) {
  const cohort = await db.cohort.findUnique({
    where: { id: cohortId },
    include: { members: { include: { user: true }, orderBy: { joinedAt: 'asc' } }, assignments: { include: { test: true } } },
  });
  if (!cohort) throw notFound('cohort', cohortId);
  const memberIds = cohort.members.map((m) => m.userId);
  const tests = await Promise.all(
    cohort.assignments.map(async (assignment) => {
      const attempts = await db.attempt.findMany({
        where: { testId: assignment.testId, userId: { in: memberIds } },
        include: { questions: { include: { question: { select: { lab: true, key: true, title: true } } } } },
      });
      const learners: LearnerRow[] = cohort.members.map((m) => {
        const mine = attempts.filter((a) => a.userId === m.userId);
        const graded = mine.filter((a) => a.status === 'graded');
        const best = graded.reduce<(typeof graded)[number] | undefined>((b, a) => (!b || (a.score ?? 0) > (b.score ?? 0) ? a : b), undefined);
        const spent = best?.startedAt && best.submittedAt ? (best.submittedAt.getTime() - best.startedAt.getTime()) / 60_000 : null;
        return {
          userId: m.userId,
          name: m.user.name,
          email: m.user.email,
          state: graded.length ? 'finished' : mine.some((a) => isUnfinished(a.status)) ? 'in-progress' : 'not-started',
          attempts: mine.filter((a) => a.status !== 'failed').length,
          bestScore: best?.score ?? null,
          maxScore: best?.maxScore ?? null,
          percent: best && best.maxScore > 0 ? round1(((best.score ?? 0) / best.maxScore) * 100) : null,
          minutesSpent: spent === null ? null : round1(spent),
          lastSubmittedAt: best?.submittedAt ?? null,
          endReason: best?.endReason ?? null,
        };
      });
      const byQuestion = new Map<string, { key: string; title: string; answered: number; passed: number }>();
      for (const a of attempts.filter((x) => x.status === 'graded')) {
        for (const q of a.questions) {
          const key = `${q.question.lab}/${q.question.key}`;
          const row = byQuestion.get(key) ?? { key, title: q.question.title, answered: 0, passed: 0 };
          row.answered += 1;
          if (q.passed) row.passed += 1;
          byQuestion.set(key, row);
        }
      }
      const questions = [...byQuestion.values()]
        .map((q) => ({ ...q, passRate: round1((q.passed / q.answered) * 100) }))
        .sort((a, b) => a.passRate - b.passRate);
      // Ten buckets of best scores in percent: 0-9, 10-19, ..., 90-100.
      const distribution = Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i === 9 ? 100 : i * 10 + 9, learners: 0 }));
      for (const l of learners) if (l.percent !== null) distribution[Math.min(9, Math.floor(l.percent / 10))]!.learners += 1;
      const minutes = learners.flatMap((l) => (l.minutesSpent === null ? [] : [l.minutesSpent]));
      return {
        testId: assignment.testId,
        title: assignment.test.title,
        dueAt: assignment.dueAt,
        counts: {
          learners: learners.length,
          notStarted: learners.filter((l) => l.state === 'not-started').length,
          inProgress: learners.filter((l) => l.state === 'in-progress').length,
          finished: learners.filter((l) => l.state === 'finished').length,
        },
        learners,
        questions,
        distribution,
        minutesSpent: { median: median(minutes), mean: minutes.length ? round1(minutes.reduce((s, x) => s + x, 0) / minutes.length) : null },
      };
    }),
  );
  return { cohortId: cohort.id, name: cohort.name, tests };
}

/** A CSV cell: quoted when needed, and a leading = + - @ neutralised so spreadsheets do not run it. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function cohortResultsCsv(dashboard: Awaited<ReturnType<typeof buildCohortDashboard>>): string {
  const header = ['cohort', 'test', 'learner', 'email', 'state', 'attempts', 'score', 'max_score', 'percent', 'minutes_spent', 'submitted_at', 'end_reason'];
  const rows = dashboard.tests.flatMap((t) =>
    t.learners.map((l) => [dashboard.name, t.title, l.name, l.email, l.state, l.attempts, l.bestScore, l.maxScore, l.percent, l.minutesSpent, l.lastSubmittedAt, l.endReason]),
  );
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

// What a score report compares a result with: the same learner's other graded attempts of the
// test (points per question key, oldest first) and the other learners' median share of the
// points per question key (each learner's latest graded attempt; only from three learners on,
// so no one's score can be read back from a "median" of one or two).
import type { DbClient } from '@praxis/db';

export const COHORT_MINIMUM = 3;

interface Comparable {
  id: string;
  testId: string;
  userId: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function compareResult(db: DbClient, a: Comparable) {
  const graded = await db.attempt.findMany({
    where: { testId: a.testId, status: 'graded', id: { not: a.id } },
    orderBy: { submittedAt: 'asc' },
    select: { id: true, userId: true, submittedAt: true, score: true, maxScore: true, questions: { select: { points: true, maxPoints: true, question: { select: { lab: true, key: true } } } } },
  });
  const keyOf = (q: { question: { lab: string; key: string } }) => `${q.question.lab}/${q.question.key}`;
  const previous = graded
    .filter((x) => x.userId === a.userId)
    .map((x) => ({ id: x.id, submittedAt: x.submittedAt, score: x.score, maxScore: x.maxScore, points: Object.fromEntries(x.questions.map((q) => [keyOf(q), q.points])) }));

  // Each other learner's latest graded attempt (the list is oldest first, so the last one wins).
  const latest = new Map<string, (typeof graded)[number]>();
  for (const x of graded) if (x.userId !== a.userId) latest.set(x.userId, x);
  if (latest.size < COHORT_MINIMUM) return { previous, cohort: null };
  const shares = new Map<string, number[]>();
  for (const x of latest.values()) {
    for (const q of x.questions) {
      if (q.maxPoints <= 0) continue;
      const list = shares.get(keyOf(q)) ?? [];
      list.push((q.points ?? 0) / q.maxPoints);
      shares.set(keyOf(q), list);
    }
  }
  const medians = Object.fromEntries([...shares].filter(([, v]) => v.length >= COHORT_MINIMUM).map(([k, v]) => [k, median(v)]));
  return { previous, cohort: { learners: latest.size, median: medians } };
}

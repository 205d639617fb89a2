// Turning a test's selection into questions of a bank version: fixed keys ("lab/question", or
// "question" of the test's lab) or random draws from pools filtered by lab, tag, difficulty and
// kind. Used when a test is created (to check it) and when an attempt starts (to draw).
import { randomInt } from 'node:crypto';
import type { Question } from '@praxis/db';
import { ApiError } from '../../lib/api-error';
import type { Pool, Selection } from './test-schemas';

/** Every lab of an attempt is one more instance; this bounds what one learner holds at once. */
export const MAX_LABS_PER_ATTEMPT = 4;

type Row = Pick<Question, 'id' | 'lab' | 'key' | 'kind' | 'tags' | 'difficulty' | 'points'>;

export function splitKey(key: string, defaultLab: string | null): { lab: string | null; key: string } {
  const slash = key.indexOf('/');
  return slash === -1 ? { lab: defaultLab, key } : { lab: key.slice(0, slash), key: key.slice(slash + 1) };
}

export function poolCandidates<T extends Row>(pool: Pool, defaultLab: string | null, rows: T[]): T[] {
  const labs = pool.labs ?? (defaultLab ? [defaultLab] : undefined);
  return rows.filter(
    (q) =>
      (!labs || labs.includes(q.lab)) &&
      (!pool.tags || q.tags.some((t) => pool.tags!.includes(t))) &&
      (!pool.difficulty || (q.difficulty !== null && pool.difficulty.includes(q.difficulty as 'easy'))) &&
      (!pool.kinds || pool.kinds.includes(q.kind as 'task')),
  );
}

/** The labs an attempt of this selection can reach: the fixed keys' labs, or every lab a pool can draw from. */
export function reachableLabs(selection: Selection, defaultLab: string | null, rows: Row[]): Set<string> {
  if (selection.mode === 'fixed') return new Set(selection.questions.flatMap((raw) => splitKey(raw, defaultLab).lab ?? []));
  return new Set(selection.pools.flatMap((p) => poolCandidates(p, defaultLab, rows).map((q) => q.lab)));
}

/**
 * Checks a selection against a version's questions and the server's instance limit (an attempt
 * holds one instance per lab, so a test one of whose attempts could need more than the server
 * runs would wait in the queue forever); throws a 422 naming what is wrong.
 */
export function checkSelection(selection: Selection, defaultLab: string | null, rows: Row[], maxInstances: number): void {
  const labsOf = reachableLabs(selection, defaultLab, rows);
  if (selection.mode === 'fixed') {
    const seen = new Set<string>();
    const missing: string[] = [];
    for (const raw of selection.questions) {
      const { lab, key } = splitKey(raw, defaultLab);
      if (!lab) throw new ApiError(422, 'LAB_REQUIRED', `"${raw}" names no lab: write "lab/${raw}" or give the test a lab`);
      if (seen.has(`${lab}/${key}`)) throw new ApiError(422, 'QUESTION_REPEATED', `selection.questions lists "${lab}/${key}" twice`);
      seen.add(`${lab}/${key}`);
      if (!rows.some((q) => q.lab === lab && q.key === key)) missing.push(`${lab}/${key}`);
    }
    if (missing.length) throw new ApiError(422, 'QUESTION_UNKNOWN', `the bank has no question ${missing.map((m) => `"${m}"`).join(', ')}`);
  } else {
    const needed = selection.pools.reduce((n, p) => n + p.count, 0);
    selection.pools.forEach((p, i) => {
      const candidates = poolCandidates(p, defaultLab, rows);
      if (candidates.length < p.count) throw new ApiError(422, 'POOL_TOO_SMALL', `selection.pools[${i}] draws ${p.count} but only ${candidates.length} question(s) match`);
    });
    const all = new Set(selection.pools.flatMap((p) => poolCandidates(p, defaultLab, rows).map((q) => q.id)));
    if (all.size < needed) throw new ApiError(422, 'POOL_TOO_SMALL', `the pools draw ${needed} questions but only ${all.size} different ones match`);
  }
  if (labsOf.size > MAX_LABS_PER_ATTEMPT) {
    throw new ApiError(422, 'TOO_MANY_LABS', `the selection can reach ${labsOf.size} labs (${[...labsOf].join(', ')}); an attempt runs at most ${MAX_LABS_PER_ATTEMPT}, so narrow it with labs, tags or difficulty`);
  }
  // A draw takes at most one lab per question drawn.
  const worst = selection.mode === 'fixed' ? labsOf.size : Math.min(labsOf.size, selection.pools.reduce((n, p) => n + p.count, 0));
  if (worst > maxInstances) {
    throw new ApiError(
      422,
      'TEST_EXCEEDS_CAPACITY',
      `an attempt of this selection can need ${worst} lab instances at once (one per lab) and this server runs at most ${maxInstances} (PRAXIS_MAX_INSTANCES); narrow it to fewer labs`,
    );
  }
}

/** Fixed: in the listed order. Draw: each pool picks at random among questions not yet drawn. */
export function selectQuestions<T extends Row>(selection: Selection, defaultLab: string | null, rows: T[]): T[] {
  if (selection.mode === 'fixed') {
    return selection.questions.flatMap((raw) => {
      const { lab, key } = splitKey(raw, defaultLab);
      const q = rows.find((r) => r.lab === lab && r.key === key);
      return q ? [q] : [];
    });
  }
  const taken = new Set<string>();
  const out: T[] = [];
  for (const p of selection.pools) {
    const candidates = poolCandidates(p, defaultLab, rows).filter((q) => !taken.has(q.id));
    for (let i = 0; i < p.count && candidates.length; i++) {
      const [q] = candidates.splice(randomInt(candidates.length), 1);
      taken.add(q!.id);
      out.push(q!);
    }
  }
  return out;
}

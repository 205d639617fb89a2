// What a learner reads before starting the clock: the test's rules (time, mode, attempts,
// whether solutions follow), how many questions and points, and each lab's overview (intro,
// hosts) in the reader's language, the test's own title too where it is its lab's (test-texts.ts).
// Read from the bank version an attempt would pin now.
import type { DbClient, User } from '@praxis/db';
import { localizeLab, type Lab } from '@praxis/labs';
import { z } from 'zod';
import { ApiError } from '../../lib/api-error';
import { latestPublishedVersion } from '../banks/bank-views';
import { readBankContent } from '../banks/bank-content';
import { hostsOf } from '../attempts/attempt-views';
import { findVisibleTest } from './find-visible-test';
import { poolCandidates, splitKey } from './select-questions';
import { readSelection, testModeSchema } from './test-schemas';
import { localizeTestTexts } from './test-texts';

export const briefingSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  mode: testModeSchema,
  timeLimitSeconds: z.number(),
  attemptsAllowed: z.number(),
  /** Attempts of this learner that count (not failed). */
  attemptsUsed: z.number(),
  /** The learner's unfinished attempt, if any (the page resumes it instead of starting one). */
  runningAttemptId: z.string().nullable(),
  showSolutions: z.boolean(),
  availableFrom: z.date().nullable(),
  availableUntil: z.date().nullable(),
  questions: z.number(),
  /** Total points (for fixed questions; drawn questions vary). */
  points: z.number().nullable(),
  labs: z.array(z.object({ lab: z.string(), title: z.string(), summary: z.string(), intro: z.string(), cluster: z.boolean().describe('A real Kubernetes cluster boots for this lab (about a minute, unless one waits warm)'), hosts: z.array(z.object({ node: z.string(), hostname: z.string() })) })),
});

const UNFINISHED = ['queued', 'provisioning', 'active', 'grading'];

export async function testBriefing(db: DbClient, user: User, testId: string, language?: string): Promise<z.infer<typeof briefingSchema>> {
  const test = await findVisibleTest(db, user, testId);
  const version = await latestPublishedVersion(db, test.bankId);
  if (!version) throw new ApiError(409, 'BANK_UNPUBLISHED', "the test's bank has no published version");
  const rows = await db.question.findMany({ where: { bankVersionId: version.id } });
  const selection = readSelection(test.selection);
  let labIds: string[];
  let questions: number;
  let points: number | null;
  if (selection.mode === 'fixed') {
    const picked = selection.questions.flatMap((raw) => {
      const { lab, key } = splitKey(raw, test.lab);
      return rows.filter((r) => r.lab === lab && r.key === key);
    });
    labIds = [...new Set(picked.map((q) => q.lab))];
    questions = picked.length;
    points = picked.reduce((s, q) => s + q.points, 0);
  } else {
    labIds = [...new Set(selection.pools.flatMap((p) => poolCandidates(p, test.lab, rows).map((q) => q.lab)))];
    questions = selection.pools.reduce((s, p) => s + p.count, 0);
    points = null;
  }
  const stored = readBankContent(version).labs;
  const mine = await db.attempt.findMany({ where: { userId: user.id, testId }, select: { id: true, status: true } });
  const labs = labIds.flatMap((id) => {
    const lab: Lab | undefined = stored.find((l) => l.id === id);
    return lab ? [{ lab: id, ...localizeLab(lab, language), cluster: Boolean(lab.topology.cluster), hosts: hostsOf(lab) }] : [];
  });
  return {
    id: test.id,
    ...localizeTestTexts(test, stored, language),
    mode: test.mode,
    timeLimitSeconds: test.timeLimitSeconds,
    attemptsAllowed: test.attemptsAllowed,
    attemptsUsed: mine.filter((a) => a.status !== 'failed').length,
    runningAttemptId: mine.find((a) => UNFINISHED.includes(a.status))?.id ?? null,
    showSolutions: test.showSolutions,
    availableFrom: test.availableFrom,
    availableUntil: test.availableUntil,
    questions,
    points,
    labs,
  };
}

// Stages of a lab in an attempt (lab.yaml `stages`): which of the attempt's questions are still
// locked and the sentence a learner reads about it, refusing work on a locked question, and
// unlocking a stage when a Check passes: the stage's setup runs in the learner's nodes once
// (a row claimed in the database, whichever Check or API process gets there first), then its
// questions open. A lab without stages has no locked question and no row here.
import type { DbClient } from '@praxis/db';
import { runStageSetup } from '@praxis/grader';
import { stagesOf, stagesUnlockedBy, type Lab, type LabStage } from '@praxis/labs';
import type { EngineSet } from '@praxis/sandbox';
import { ApiError } from '../../lib/api-error';

/** A "running" row older than this is taken to belong to a process that died: the next passing Check claims it again. */
export const STAGE_STALE_MS = 10 * 60_000;

export type StageStatus = 'running' | 'open' | 'failed';

interface StageRow {
  lab: string;
  stage: string;
  status: string;
  error: string | null;
}

interface AttemptQuestionRef {
  position: number;
  question: { lab: string; key: string };
}

/** Why a question is locked, for the page and for refusals. */
export interface QuestionLock {
  stage: string;
  /** The stage's title (the author's, or its id). */
  title: string;
  /** locked: waiting for its tasks; running: its setup is under way; failed: its setup failed (Check again to retry). */
  status: 'locked' | 'running' | 'failed';
  /** The attempt's questions whose passing Check unlocks it. */
  unlockedBy: { position: number; key: string }[];
  error: string | null;
}

/** The stage a question of the attempt belongs to, looked up in its stored lab. */
function stageOf(labs: ReadonlyMap<string, Lab>, q: AttemptQuestionRef): LabStage | undefined {
  const lab = labs.get(q.question.lab);
  const id = lab?.questions.find((x) => x.id === q.question.key)?.stage;
  return id === undefined || !lab ? undefined : stagesOf(lab).find((s) => s.id === id);
}

/** Every locked question of the attempt by position; open questions are absent. */
export function questionLocks(labs: ReadonlyMap<string, Lab>, rows: readonly StageRow[], questions: readonly AttemptQuestionRef[]): Map<number, QuestionLock> {
  const locks = new Map<number, QuestionLock>();
  for (const q of questions) {
    const stage = stageOf(labs, q);
    if (!stage) continue;
    const row = rows.find((r) => r.lab === q.question.lab && r.stage === stage.id);
    if (row?.status === 'open') continue;
    locks.set(q.position, {
      stage: stage.id,
      title: stage.title,
      status: row?.status === 'running' || row?.status === 'failed' ? row.status : 'locked',
      unlockedBy: stage.unlock.flatMap((key) => questions.filter((x) => x.question.lab === q.question.lab && x.question.key === key).map((x) => ({ position: x.position, key }))),
      error: row?.status === 'failed' ? row.error : null,
    });
  }
  return locks;
}

/** The learner's sentence: `"Part 2" unlocks when you pass question 1` (and what is under way or failed). */
export function describeLock(lock: QuestionLock): string {
  const by = lock.unlockedBy.map((u) => `question ${u.position}`);
  const when = by.length ? `unlocks when you pass ${by.length > 1 ? `${by.slice(0, -1).join(', ')} and ${by.at(-1)}` : by[0]} (press Check once it is done)` : 'cannot unlock in this test';
  if (lock.status === 'running') return `"${lock.title}" is being prepared on your machines`;
  if (lock.status === 'failed') return `preparing "${lock.title}" on your machines failed (${lock.error ?? 'no reason given'}); press Check on question ${lock.unlockedBy[0]?.position ?? '?'} again to retry`;
  return `"${lock.title}" ${when}`;
}

/** Refuses work on a locked question (answering, Check, giving up) with the sentence above. */
export function assertQuestionOpen(locks: ReadonlyMap<number, QuestionLock>, position: number): void {
  const lock = locks.get(position);
  if (lock) throw new ApiError(409, 'STAGE_LOCKED', `question ${position} is locked: ${describeLock(lock)}`, { stage: lock.stage, status: lock.status });
}

/** What a passing Check did to each stage it completed. */
export interface StageUnlock {
  stage: string;
  title: string;
  status: StageStatus;
  error?: string;
  /** This Check ran the setup (false: another Check or process did, or is doing it). */
  ranSetup: boolean;
  setupMs?: number;
}

export interface UnlockInput {
  db: DbClient;
  engines: EngineSet;
  attemptId: string;
  lab: Lab;
  instance: { instanceId: string; engineId: string };
  /** Task keys of this lab that have passed a Check in the attempt, the one just passed included. */
  passed: ReadonlySet<string>;
  /** Only stages the attempt has questions of are opened. */
  keysInAttempt: ReadonlySet<string>;
  justPassed: string;
  log?: { error: (obj: object, msg: string) => void };
}

/**
 * After a passing Check of `justPassed`: every stage of the lab that this pass completes is
 * claimed (one row per attempt, lab and stage: inserted, or a failed or stale one taken over in
 * one statement), its setup run in the learner's nodes, and the row marked open or failed.
 * A stage someone else claimed is reported as it stands.
 */
export async function unlockStages(input: UnlockInput): Promise<StageUnlock[]> {
  const { db, attemptId, lab } = input;
  const due = stagesUnlockedBy(lab, input.passed).filter(
    (s) => s.unlock.includes(input.justPassed) && lab.questions.some((q) => q.stage === s.id && input.keysInAttempt.has(q.id)),
  );
  const out: StageUnlock[] = [];
  for (const stage of due) {
    const where = { attemptId_lab_stage: { attemptId, lab: lab.id, stage: stage.id } };
    let claimed = (await db.attemptStage.createMany({ data: [{ attemptId, lab: lab.id, stage: stage.id, status: 'running' }], skipDuplicates: true })).count === 1;
    if (!claimed) {
      const stale = new Date(Date.now() - STAGE_STALE_MS);
      const retried = await db.attemptStage.updateMany({
        where: { attemptId, lab: lab.id, stage: stage.id, OR: [{ status: 'failed' }, { status: 'running', startedAt: { lt: stale } }] },
        data: { status: 'running', startedAt: new Date(), error: null },
      });
      claimed = retried.count === 1;
    }
    if (!claimed) {
      const row = await db.attemptStage.findUnique({ where });
      out.push({ stage: stage.id, title: stage.title, status: (row?.status ?? 'running') as StageStatus, ...(row?.error ? { error: row.error } : {}), ranSetup: false });
      continue;
    }
    const t0 = performance.now();
    let failed: string | undefined;
    try {
      failed = await runStageSetup(input.engines.get(input.instance.engineId), lab, input.instance.instanceId, stage);
    } catch (error) {
      failed = `setup of stage "${stage.id}" could not run: ${(error as Error).message}`;
    }
    const setupMs = Math.round(performance.now() - t0);
    if (failed) input.log?.error({ attempt: attemptId, lab: lab.id, stage: stage.id, error: failed }, 'stage setup failed');
    await db.attemptStage.update({ where, data: failed ? { status: 'failed', error: failed.slice(0, 2000) } : { status: 'open', openedAt: new Date() } });
    out.push({ stage: stage.id, title: stage.title, status: failed ? 'failed' : 'open', ...(failed ? { error: failed } : {}), ranSetup: true, setupMs });
  }
  return out;
}

/** Whether the question (a task) unlocks a stage of its lab: such a task can be checked in an exam too. */
export function unlocksAStage(lab: Lab | undefined, key: string): boolean {
  return stagesOf(lab ?? {}).some((s) => s.unlock.includes(key));
}

/**
 * The drawn questions plus the tasks that unlock their stages (and theirs, recursively), each
 * placed before the first question that needs it: a stage's questions are never drawn without
 * the way to open them.
 */
export function withUnlockingTasks<T extends { lab: string; key: string }>(drawn: readonly T[], rows: readonly T[], labs: ReadonlyMap<string, Lab>): T[] {
  const out = [...drawn];
  const has = (lab: string, key: string) => out.some((q) => q.lab === lab && q.key === key);
  for (let i = 0; i < out.length && out.length <= 200; ) {
    const q = out[i]!;
    const stage = stageOf(labs, { position: 0, question: q });
    const missing = (stage?.unlock ?? []).filter((key) => !has(q.lab, key)).flatMap((key) => rows.filter((r) => r.lab === q.lab && r.key === key));
    if (missing.length) out.splice(i, 0, ...missing);
    else i += 1;
  }
  return out;
}

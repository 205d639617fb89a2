// What an attempt looks like to its learner (no correct options while it runs; in practice mode
// hints, and a task's solution once it passed or the learner gave up) and its result once graded,
// and only then (explanations always; solutions and correct options when the test shows them; raw
// grader output only for staff; the learner's earlier attempts and the cohort's medians), both in
// the reader's language where the lab is translated.
import type { DbClient, User } from '@praxis/db';
import { localizeFinish, localizeLab, localizeQuestion, type Lab, type Question as LabQuestion } from '@praxis/labs';
import { z } from 'zod';
import { ApiError, notFound } from '../../lib/api-error';
import { canSupervise, isStaff } from '../access/staff-access';
import { questionTitle } from '../../lib/question-title';
import { readBankContent, readQuestionSpec } from '../banks/bank-content';
import { text } from '../../lib/input-schemas';
import { testModeSchema } from '../tests/test-schemas';
import { localizeTestTexts } from '../tests/test-texts';
import { compareResult } from './compare-result';
import { describeLock, questionLocks, unlocksAStage, type QuestionLock } from './attempt-stages';

export const answerSchema = z.union([z.string().max(2000), z.array(z.string().max(100)).max(20)]);
/** An answer as a learner sends it: the same shape, with the shared text rules. */
export const answerInputSchema = z.union([text({ max: 2000, multiline: true }), z.array(text({ max: 100 })).max(20)]);

export const checkResultSchema = z.object({ passed: z.boolean(), reason: z.string(), at: z.date() });

/** What a passing Check did to the stages it completed (lab.yaml `stages`). */
export const stageUnlockSchema = z.object({
  stage: z.string(),
  title: z.string(),
  status: z.enum(['running', 'open', 'failed']),
  error: z.string().optional(),
  ranSetup: z.boolean(),
  setupMs: z.number().optional(),
});

const hostSchema = z.object({ node: z.string(), hostname: z.string() });

export const attemptViewSchema = z.object({
  id: z.string(),
  testId: z.string(),
  title: z.string(),
  /** The test's description (Markdown), shown in the briefing and the overview. */
  description: z.string(),
  mode: testModeSchema,
  status: z.enum(['queued', 'provisioning', 'active', 'grading', 'graded', 'failed', 'cancelled']),
  queuePosition: z.number().nullable(),
  /** The attempt's labs, each with its instance (while active) and node names, in question order. */
  labs: z.array(
    z.object({
      lab: z.string(),
      title: z.string(),
      summary: z.string(),
      /** The lab's introduction (Markdown): topology, addresses; the "overview" during the exam. */
      intro: z.string(),
      instanceId: z.string().nullable(),
      nodes: z.array(z.string()),
      /** Each node with the hostname its prompt shows (the name terminal tabs and tasks use). */
      hosts: z.array(hostSchema),
    }),
  ),
  /** Shortcuts to the first lab's instance and nodes (most tests have one lab). */
  instanceId: z.string().nullable(),
  nodes: z.array(z.string()),
  serverNow: z.date(),
  startedAt: z.date().nullable(),
  deadlineAt: z.date().nullable(),
  remainingSeconds: z.number().nullable(),
  timeLimitSeconds: z.number(),
  allowCheck: z.boolean(),
  /** Whether the result will show solutions. */
  showSolutions: z.boolean(),
  error: z.string().nullable(),
  /** The learner's notepad (plain text, kept by the server). */
  notes: z.string(),
  /** Whose attempt it is: for staff watching or replaying it. */
  learner: z.object({ id: z.string(), name: z.string(), email: z.string() }).optional(),
  questions: z.array(
    z.object({
      position: z.number(),
      lab: z.string(),
      kind: z.enum(['choice', 'answer', 'task']),
      /** Plain text for lists: the prompt's first sentence, Markdown removed, at most ~100 characters. */
      title: z.string(),
      prompt: z.string(),
      points: z.number(),
      multiple: z.boolean().optional(),
      options: z.array(z.object({ id: z.string(), text: z.string() })).optional(),
      /** Practice mode only. */
      hint: z.string().optional(),
      /** The nodes the question is about (its check's or computed answer's), in the lab's order. */
      nodes: z.array(z.string()),
      answer: answerSchema.nullable(),
      /** The learner's flag for review. */
      flagged: z.boolean(),
      /** The last Check of this task during the attempt, if any. */
      lastCheck: checkResultSchema.nullable(),
      /** Checks run on this task so far. */
      checks: z.number(),
      /** A Check of this task has passed during the attempt. */
      passedCheck: z.boolean(),
      /** Practice: the learner gave up on it (and earns nothing for it). */
      gaveUp: z.boolean(),
      /** Practice: the solution and explanation, once the task passed a Check or the learner gave up. */
      solution: z.string().optional(),
      explanation: z.string().optional(),
      /**
       * The question belongs to a lab stage that is not open yet: its prompt, options and hint are
       * withheld, and answering or checking it is refused until its unlocking tasks pass a Check.
       */
      locked: z
        .object({
          stage: z.string(),
          title: z.string(),
          status: z.enum(['locked', 'running', 'failed']),
          /** Positions of the questions whose passing Check unlocks it. */
          unlockedBy: z.array(z.number()),
          /** The sentence for the learner: what unlocks it, or what is under way or failed. */
          message: z.string(),
          /** Why preparing the stage failed (status failed): the setup script, node and last lines. */
          error: z.string().nullable(),
        })
        .nullable(),
      /** A task whose passing Check unlocks a stage: it has a Check button even in an exam. */
      unlocksStage: z.boolean(),
    }),
  ),
});

const resultOptionSchema = z.object({ id: z.string(), text: z.string(), chosen: z.boolean(), correct: z.boolean().optional() });

export const resultSchema = z.object({
  id: z.string(),
  testId: z.string(),
  title: z.string(),
  mode: testModeSchema,
  status: z.enum(['graded']),
  endReason: z.string().nullable(),
  score: z.number().nullable(),
  maxScore: z.number(),
  startedAt: z.date().nullable(),
  submittedAt: z.date().nullable(),
  learner: z.object({ id: z.string(), name: z.string(), email: z.string() }).optional(),
  questions: z.array(
    z.object({
      position: z.number(),
      lab: z.string(),
      /** "lab/question": the same question across attempts. */
      key: z.string(),
      kind: z.string(),
      title: z.string(),
      prompt: z.string(),
      answer: answerSchema.nullable(),
      /** Choice questions: every option, whether the learner chose it and (with solutions) whether it is correct. */
      options: z.array(resultOptionSchema).optional(),
      nodes: z.array(z.string()),
      points: z.number().nullable(),
      maxPoints: z.number(),
      passed: z.boolean().nullable(),
      reason: z.string().nullable(),
      explanation: z.string(),
      solution: z.string().optional(),
      output: z.string().optional(),
      checks: z.number(),
      secondsSpent: z.number(),
      gaveUp: z.boolean(),
    }),
  ),
  /** The attempt's labs in question order, each with the text its author wrote for the end (lab.yaml `finish`, Markdown; null when none). */
  labs: z.array(z.object({ lab: z.string(), title: z.string(), finish: z.string().nullable() })),
  /** The learner's other graded attempts of this test, oldest first, with points per question key. */
  previous: z.array(z.object({ id: z.string(), submittedAt: z.date().nullable(), score: z.number().nullable(), maxScore: z.number(), points: z.record(z.string(), z.number().nullable()) })),
  /** Other learners' latest graded attempts: median share of the points (0-1) per question key; null under 3 learners. */
  cohort: z.object({ learners: z.number(), median: z.record(z.string(), z.number()) }).nullable(),
});

/**
 * The attempt with its test and questions, if the user owns it or (for 'owner-or-staff')
 * supervises it: manages its test or leads a cohort of its learner with the test assigned
 * (admins all). Anyone else: "not found".
 */
export async function loadAttemptFor(db: DbClient, user: User, attemptId: string, need: 'owner' | 'owner-or-staff') {
  const attempt = await db.attempt.findUnique({
    where: { id: attemptId },
    include: {
      test: true,
      instances: true,
      user: { select: { id: true, name: true, email: true } },
      bankVersion: { select: { id: true, content: true } },
      questions: { include: { question: true }, orderBy: { position: 'asc' } },
      stages: true,
    },
  });
  if (!attempt) throw notFound('attempt', attemptId);
  if (attempt.userId === user.id) return attempt;
  const supervisor = await canSupervise(db, user, attempt);
  if (supervisor && need === 'owner-or-staff') return attempt;
  if (supervisor) throw new ApiError(403, 'ATTEMPT_NOT_YOURS', 'only the learner who took this attempt may change it');
  throw notFound('attempt', attemptId);
}

export type LoadedAttempt = Awaited<ReturnType<typeof loadAttemptFor>>;

/** The attempt's locked questions by position (questions of a lab stage not yet open). */
export function locksOfAttempt(a: LoadedAttempt): Map<number, QuestionLock> {
  const labs = new Map(readBankContent(a.bankVersion).labs.map((l) => [l.id, l]));
  return questionLocks(labs, a.stages, a.questions);
}

type StoredLab = Pick<Lab, 'id' | 'title' | 'summary' | 'intro' | 'translations'> & { topology: { nodes: { name: string; hostname?: string }[] } };

/** Each node of a stored lab with the hostname its prompt shows (the node's name when it sets none). */
export function hostsOf(lab: Pick<StoredLab, 'topology'> | undefined) {
  return lab?.topology.nodes.map((n) => ({ node: n.name, hostname: n.hostname ?? n.name })) ?? [];
}

/** The labs of an attempt in question order, with their nodes and (while active) instances, in the reader's language. */
export function attemptLabs(a: LoadedAttempt, language?: string) {
  const stored = readBankContent(a.bankVersion).labs;
  const ids = [...new Set(a.questions.map((q) => q.question.lab))];
  return ids.map((id) => {
    const lab = stored.find((l) => l.id === id);
    const inst = a.instances.find((i) => i.lab === id);
    const texts = lab ? localizeLab(lab, language) : { title: id, summary: '', intro: '' };
    return {
      lab: id,
      ...texts,
      instanceId: a.status === 'active' ? (inst?.instanceId ?? null) : null,
      nodes: lab?.topology.nodes.map((n) => n.name) ?? [],
      hosts: hostsOf(lab),
    };
  });
}

const learnerOf = (a: LoadedAttempt, viewer: User | undefined) => (viewer && viewer.id !== a.userId && isStaff(viewer) ? { learner: a.user } : {});

export function toAttemptView(a: LoadedAttempt, queuePosition: number | null, options: { now?: Date; language?: string; viewer?: User } = {}): z.infer<typeof attemptViewSchema> {
  const now = options.now ?? new Date();
  const labs = attemptLabs(a, options.language);
  const practice = a.test.mode === 'practice';
  const locks = locksOfAttempt(a);
  return {
    id: a.id,
    testId: a.testId,
    ...localizeTestTexts(a.test, readBankContent(a.bankVersion).labs, options.language),
    mode: a.test.mode,
    status: a.status,
    queuePosition,
    labs,
    instanceId: labs[0]?.instanceId ?? null,
    nodes: labs[0]?.nodes ?? [],
    serverNow: now,
    startedAt: a.startedAt,
    deadlineAt: a.deadlineAt,
    remainingSeconds: a.deadlineAt ? Math.max(0, Math.round((a.deadlineAt.getTime() - now.getTime()) / 1000)) : null,
    timeLimitSeconds: a.test.timeLimitSeconds,
    allowCheck: a.test.allowCheck,
    showSolutions: a.test.showSolutions,
    error: a.error,
    notes: a.notes,
    ...learnerOf(a, options.viewer),
    questions: a.questions.map((q) => {
      const { spec, shown } = questionShown(q, options.language);
      const lock = locks.get(q.position);
      const unlocks = spec.kind === 'task' && unlocksAStage(storedLab(a, q.question.lab), spec.id);
      // A locked question shows its stage and what unlocks it, nothing of its own text.
      if (lock) {
        return {
          ...shown,
          title: lock.title,
          prompt: '',
          points: q.maxPoints,
          flagged: q.flagged,
          lastCheck: null,
          checks: q.checks,
          passedCheck: false,
          gaveUp: false,
          locked: { stage: lock.stage, title: lock.title, status: lock.status, unlockedBy: lock.unlockedBy.map((u) => u.position), message: describeLock(lock), error: lock.error },
          unlocksStage: unlocks,
        };
      }
      // Practice: the solution once the task passed a Check, or once the learner gave up.
      const revealed = practice && (q.gaveUpAt !== null || (spec.kind === 'task' && q.passedCheckAt !== null));
      return {
        ...shown,
        locked: null,
        unlocksStage: unlocks,
        points: q.maxPoints,
        ...(spec.kind === 'choice' ? { multiple: spec.multiple, options: spec.options.map((o) => ({ id: o.id, text: o.text })) } : {}),
        ...(spec.hint && practice ? { hint: spec.hint } : {}),
        flagged: q.flagged,
        lastCheck: q.lastCheckAt && q.lastCheckPassed !== null ? { passed: q.lastCheckPassed, reason: q.lastCheckReason ?? '', at: q.lastCheckAt } : null,
        checks: q.checks,
        passedCheck: q.passedCheckAt !== null,
        gaveUp: q.gaveUpAt !== null,
        ...(revealed ? { solution: solutionOf(spec, storedLab(a, q.question.lab)), explanation: spec.explanation } : {}),
      };
    }),
  };
}

/** The nodes a question is about: its check's, or its computed answer's; none for a choice. */
export function questionNodes(spec: LabQuestion): string[] {
  if (spec.kind === 'task') return spec.check.nodes;
  if (spec.kind === 'answer' && spec.expected.kind === 'script') return spec.expected.script.nodes;
  return [];
}

/** What both the attempt view and the result show of a question, in the reader's language. */
export function questionShown(q: LoadedAttempt['questions'][number], language?: string) {
  const spec = localizeQuestion(readQuestionSpec(q.question), language);
  return {
    spec,
    shown: {
      position: q.position,
      lab: q.question.lab,
      kind: spec.kind,
      title: questionTitle(spec.prompt),
      prompt: spec.prompt,
      nodes: questionNodes(spec),
      answer: (q.answer ?? null) as z.infer<typeof answerSchema> | null,
    },
  };
}

/** How a learner reads a question's solution: the correct options, the reference answer, or
 *  the solve scripts with each host named as its prompt names it and the lab's variables filled in. */
export function solutionOf(spec: LabQuestion, lab?: Pick<StoredLab, 'topology'> & { variables?: Record<string, string> }): string {
  switch (spec.kind) {
    case 'choice':
      return spec.options.filter((o) => o.correct).map((o) => `- ${o.text}`).join('\n');
    case 'answer':
      return spec.reference;
    case 'task': {
      const host = (node: string) => hostsOf(lab).find((h) => h.node === node)?.hostname ?? node;
      const vars = lab?.variables ?? {};
      const fill = (text: string) => text.replace(/\$\{?([a-z_][a-z0-9_]*)\}?/g, (whole, name: string) => (Object.hasOwn(vars, name) ? vars[name]! : whole));
      return spec.solve.map((s) => `# on ${s.nodes.map(host).join(', ')}\n${fill(s.text.trim())}`).join('\n\n');
    }
  }
}

/** The stored lab a question of the attempt belongs to. */
function storedLab(a: LoadedAttempt, lab: string) {
  return readBankContent(a.bankVersion).labs.find((l) => l.id === lab);
}

/**
 * The result of a graded attempt. Nothing else has one: a cancelled, failed or unfinished attempt
 * never shows solutions, expected answers or explanations, whoever asks.
 */
export async function toResultView(db: DbClient, a: LoadedAttempt, viewer: User, language?: string): Promise<z.infer<typeof resultSchema>> {
  if (a.status !== 'graded') {
    const why = a.status === 'cancelled' ? 'it was cancelled' : a.status === 'failed' ? 'it failed before it could be graded' : `it is ${a.status}`;
    throw new ApiError(409, 'ATTEMPT_NOT_GRADED', `this attempt has no result: ${why}. Results, solutions and explanations exist only for graded attempts`, { attemptStatus: a.status });
  }
  const staff = isStaff(viewer);
  const solutions = a.test.showSolutions || staff;
  const { previous, cohort } = await compareResult(db, a);
  const stored = readBankContent(a.bankVersion).labs;
  return {
    id: a.id,
    testId: a.testId,
    title: localizeTestTexts(a.test, stored, language).title,
    mode: a.test.mode,
    status: a.status,
    endReason: a.endReason,
    score: a.score,
    maxScore: a.maxScore,
    startedAt: a.startedAt,
    submittedAt: a.submittedAt,
    ...learnerOf(a, viewer),
    labs: attemptLabs(a, language).map((l) => {
      const lab = stored.find((x) => x.id === l.lab);
      return { lab: l.lab, title: l.title, finish: (lab ? localizeFinish(lab, language) : undefined) ?? null };
    }),
    questions: a.questions.map((q) => {
      const { spec, shown } = questionShown(q, language);
      const chosen = new Set(Array.isArray(q.answer) ? (q.answer as string[]) : []);
      return {
        ...shown,
        key: `${q.question.lab}/${q.question.key}`,
        ...(spec.kind === 'choice' ? { options: spec.options.map((o) => ({ id: o.id, text: o.text, chosen: chosen.has(o.id), ...(solutions ? { correct: o.correct } : {}) })) } : {}),
        points: q.points,
        maxPoints: q.maxPoints,
        passed: q.passed,
        reason: q.reason,
        explanation: spec.explanation,
        ...(solutions ? { solution: solutionOf(spec, storedLab(a, q.question.lab)) } : {}),
        ...(staff && q.output ? { output: q.output } : {}),
        checks: q.checks,
        secondsSpent: q.secondsSpent,
        gaveUp: q.gaveUpAt !== null,
      };
    }),
    previous,
    cohort,
  };
}

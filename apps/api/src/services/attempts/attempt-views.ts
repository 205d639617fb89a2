// What an attempt looks like to its learner (no correct options, no solutions while it runs) and
// its result once graded, and only then (explanations always; solutions when the test shows them;
// raw grader output only for staff).
import type { DbClient, User } from '@praxis/db';
import type { Question as LabQuestion } from '@praxis/labs';
import { z } from 'zod';
import { ApiError, notFound } from '../../lib/api-error';
import { canSupervise, isStaff } from '../access/staff-access';
import { questionTitle } from '../../lib/question-title';
import { readBankContent, readQuestionSpec } from '../banks/bank-content';
import { text } from '../../lib/input-schemas';

export const answerSchema = z.union([z.string().max(2000), z.array(z.string().max(100)).max(20)]);
/** An answer as a learner sends it: the same shape, with the shared text rules. */
export const answerInputSchema = z.union([text({ max: 2000, multiline: true }), z.array(text({ max: 100 })).max(20)]);

export const checkResultSchema = z.object({ passed: z.boolean(), reason: z.string(), at: z.date() });

export const attemptViewSchema = z.object({
  id: z.string(),
  testId: z.string(),
  title: z.string(),
  status: z.enum(['queued', 'provisioning', 'active', 'grading', 'graded', 'failed', 'cancelled']),
  queuePosition: z.number().nullable(),
  /** The attempt's labs, each with its instance (while active) and node names, in question order. */
  labs: z.array(z.object({ lab: z.string(), title: z.string(), instanceId: z.string().nullable(), nodes: z.array(z.string()) })),
  /** Shortcuts to the first lab's instance and nodes (most tests have one lab). */
  instanceId: z.string().nullable(),
  nodes: z.array(z.string()),
  serverNow: z.date(),
  startedAt: z.date().nullable(),
  deadlineAt: z.date().nullable(),
  remainingSeconds: z.number().nullable(),
  allowCheck: z.boolean(),
  error: z.string().nullable(),
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
      hint: z.string().optional(),
      answer: answerSchema.nullable(),
      /** The learner's flag for review. */
      flagged: z.boolean(),
      /** The last Check of this task during the attempt, if any. */
      lastCheck: checkResultSchema.nullable(),
    }),
  ),
});

export const resultSchema = z.object({
  id: z.string(),
  status: z.enum(['graded']),
  endReason: z.string().nullable(),
  score: z.number().nullable(),
  maxScore: z.number(),
  startedAt: z.date().nullable(),
  submittedAt: z.date().nullable(),
  questions: z.array(
    z.object({
      position: z.number(),
      lab: z.string(),
      kind: z.string(),
      title: z.string(),
      prompt: z.string(),
      answer: answerSchema.nullable(),
      points: z.number().nullable(),
      maxPoints: z.number(),
      passed: z.boolean().nullable(),
      reason: z.string().nullable(),
      explanation: z.string(),
      solution: z.string().optional(),
      output: z.string().optional(),
    }),
  ),
});

/**
 * The attempt with its test and questions, if the user owns it or (for 'owner-or-staff')
 * supervises it: manages its test or leads a cohort of its learner with the test assigned
 * (admins all). Anyone else: "not found".
 */
export async function loadAttemptFor(db: DbClient, user: User, attemptId: string, need: 'owner' | 'owner-or-staff') {
  const attempt = await db.attempt.findUnique({
    where: { id: attemptId },
    include: { test: true, instances: true, bankVersion: { select: { id: true, content: true } }, questions: { include: { question: true }, orderBy: { position: 'asc' } } },
  });
  if (!attempt) throw notFound('attempt', attemptId);
  if (attempt.userId === user.id) return attempt;
  const supervisor = await canSupervise(db, user, attempt);
  if (supervisor && need === 'owner-or-staff') return attempt;
  if (supervisor) throw new ApiError(403, 'ATTEMPT_NOT_YOURS', 'only the learner who took this attempt may change it');
  throw notFound('attempt', attemptId);
}

export type LoadedAttempt = Awaited<ReturnType<typeof loadAttemptFor>>;

/** The labs of an attempt in question order, with their nodes and (while active) instances. */
export function attemptLabs(a: LoadedAttempt) {
  const stored = readBankContent(a.bankVersion).labs;
  const ids = [...new Set(a.questions.map((q) => q.question.lab))];
  return ids.map((id) => {
    const lab = stored.find((l) => l.id === id);
    const inst = a.instances.find((i) => i.lab === id);
    return { lab: id, title: lab?.title ?? id, instanceId: a.status === 'active' ? (inst?.instanceId ?? null) : null, nodes: lab?.topology.nodes.map((n) => n.name) ?? [] };
  });
}

export function toAttemptView(a: LoadedAttempt, queuePosition: number | null, now = new Date()): z.infer<typeof attemptViewSchema> {
  const labs = attemptLabs(a);
  return {
    id: a.id,
    testId: a.testId,
    title: a.test.title,
    status: a.status,
    queuePosition,
    labs,
    instanceId: labs[0]?.instanceId ?? null,
    nodes: labs[0]?.nodes ?? [],
    serverNow: now,
    startedAt: a.startedAt,
    deadlineAt: a.deadlineAt,
    remainingSeconds: a.deadlineAt ? Math.max(0, Math.round((a.deadlineAt.getTime() - now.getTime()) / 1000)) : null,
    allowCheck: a.test.allowCheck,
    error: a.error,
    questions: a.questions.map((q) => {
      const { spec, shown } = questionShown(q);
      return {
        ...shown,
        points: q.maxPoints,
        ...(spec.kind === 'choice' ? { multiple: spec.multiple, options: spec.options.map((o) => ({ id: o.id, text: o.text })) } : {}),
        ...(spec.hint ? { hint: spec.hint } : {}),
        flagged: q.flagged,
        lastCheck: q.lastCheckAt && q.lastCheckPassed !== null ? { passed: q.lastCheckPassed, reason: q.lastCheckReason ?? '', at: q.lastCheckAt } : null,
      };
    }),
  };
}

/** What both the attempt view and the result show of a question: where it is, what it asks, the answer. */
function questionShown(q: LoadedAttempt['questions'][number]) {
  const spec = readQuestionSpec(q.question);
  return {
    spec,
    shown: {
      position: q.position,
      lab: q.question.lab,
      kind: spec.kind,
      title: questionTitle(spec.prompt),
      prompt: spec.prompt,
      answer: (q.answer ?? null) as z.infer<typeof answerSchema> | null,
    },
  };
}

function solutionOf(spec: LabQuestion): string {
  switch (spec.kind) {
    case 'choice':
      return `Correct: ${spec.options.filter((o) => o.correct).map((o) => o.text).join('; ')}`;
    case 'answer':
      return `Expected: ${spec.reference}`;
    case 'task':
      return spec.solve.map((s) => `# on ${s.nodes.join(', ')}\n${s.text.trim()}`).join('\n\n');
  }
}

/**
 * The result of a graded attempt. Nothing else has one: a cancelled, failed or unfinished attempt
 * never shows solutions, expected answers or explanations, whoever asks.
 */
export function toResultView(a: LoadedAttempt, viewer: User): z.infer<typeof resultSchema> {
  if (a.status !== 'graded') {
    const why = a.status === 'cancelled' ? 'it was cancelled' : a.status === 'failed' ? 'it failed before it could be graded' : `it is ${a.status}`;
    throw new ApiError(409, 'ATTEMPT_NOT_GRADED', `this attempt has no result: ${why}. Results, solutions and explanations exist only for graded attempts`, { attemptStatus: a.status });
  }
  const staff = isStaff(viewer);
  return {
    id: a.id,
    status: a.status,
    endReason: a.endReason,
    score: a.score,
    maxScore: a.maxScore,
    startedAt: a.startedAt,
    submittedAt: a.submittedAt,
    questions: a.questions.map((q) => {
      const { spec, shown } = questionShown(q);
      return {
        ...shown,
        points: q.points,
        maxPoints: q.maxPoints,
        passed: q.passed,
        reason: q.reason,
        explanation: spec.explanation,
        ...(a.test.showSolutions || staff ? { solution: solutionOf(spec) } : {}),
        ...(staff && q.output ? { output: q.output } : {}),
      };
    }),
  };
}

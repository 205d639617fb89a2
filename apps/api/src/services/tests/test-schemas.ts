// The shape of a practice test as the API accepts and returns it (zod, the project's one schema
// language); the selection is stored as JSON on the test.
import { z } from 'zod';
import { ApiError } from '../../lib/api-error';
import { managersSchema } from '../access/co-instructors';
import { dateTime, text } from '../../lib/input-schemas';

const labId = text({ min: 1, max: 63 });
/** The most instances of one lab a test may keep warm (as a lab's `warmPool` and PRAXIS_WARM_POOL). */
export const MAX_WARM_POOL = 8;
const warmPoolSchema = z.number().int().min(0).max(MAX_WARM_POOL);

/**
 * practice: hints, Check at any time, a task's solution once it passed or the learner gave up,
 * reset of the lab; exam: no hints, no Check, no solutions until the result.
 */
export const testModeSchema = z.enum(['practice', 'exam']);
export type TestMode = z.infer<typeof testModeSchema>;

export const poolSchema = z.object({
  /** Labs to draw from (default: the test's lab, else every lab of the bank). */
  labs: z.array(labId).min(1).max(20).optional(),
  /** Labs having any of these tags. */
  tags: z.array(text({ min: 1, max: 40 })).min(1).max(20).optional(),
  difficulty: z.array(z.enum(['easy', 'medium', 'hard'])).min(1).optional(),
  kinds: z.array(z.enum(['choice', 'answer', 'task'])).min(1).optional(),
  count: z.number().int().min(1).max(100),
});
export type Pool = z.infer<typeof poolSchema>;

export const selectionSchema = z.discriminatedUnion('mode', [
  /** Question keys: "lab/question", or "question" of the test's lab. */
  z.object({ mode: z.literal('fixed'), questions: z.array(text({ min: 1, max: 130 })).min(1).max(100) }),
  z.object({ mode: z.literal('draw'), pools: z.array(poolSchema).min(1).max(20) }),
]);
export type Selection = z.infer<typeof selectionSchema>;

/** A test's stored selection, checked on the way out of the database (never a bare cast). */
export function readSelection(stored: unknown): Selection {
  const parsed = selectionSchema.safeParse(stored);
  if (!parsed.success) throw new ApiError(500, 'TEST_SELECTION_INVALID', `a test's stored selection cannot be read (${parsed.error.issues[0]?.message ?? 'invalid'}); an administrator must fix or recreate the test`);
  return parsed.data;
}

const testFields = z.object({
    title: text({ min: 1, max: 200, trim: true }),
    description: text({ max: 5000, multiline: true }).default(''),
    bankId: z.string().uuid(),
    /** Default lab of the selection; optional when keys say "lab/question" or pools name labs. */
    lab: labId.optional(),
    timeLimitSeconds: z.number().int().min(5).max(86_400),
    attemptsAllowed: z.number().int().min(1).max(100).default(1),
    availableFrom: dateTime().optional(),
    availableUntil: dateTime().optional(),
    /** Default: practice when allowCheck is true, else exam. */
    mode: testModeSchema.optional(),
    /** Older form of mode (true = practice); must agree with mode when both are given. */
    allowCheck: z.boolean().optional(),
    showSolutions: z.boolean().default(true),
    /** Open to every signed-in learner (default: only to the cohorts it is assigned to). */
    open: z.boolean().default(false),
    selection: selectionSchema,
    /**
     * Instances of each lab the test reaches kept provisioned while it is available (0-8); wins
     * over the lab's `warmPool` and PRAXIS_WARM_POOL. Absent or null: the lab's, else the server's.
     */
    warmPool: warmPoolSchema.nullable().optional(),
});

const windowInOrder = (t: { availableFrom?: Date | null; availableUntil?: Date | null }) => !t.availableFrom || !t.availableUntil || t.availableFrom < t.availableUntil;
const windowIssue = { message: 'availableFrom must be before availableUntil', path: ['availableUntil'] };

/** The mode a create or change asks for: mode itself, else allowCheck's older form. */
export function requestedMode(input: { mode?: TestMode; allowCheck?: boolean }): TestMode | undefined {
  return input.mode ?? (input.allowCheck === undefined ? undefined : input.allowCheck ? 'practice' : 'exam');
}
const modeAgrees = (t: { mode?: TestMode; allowCheck?: boolean }) => t.mode === undefined || t.allowCheck === undefined || t.allowCheck === (t.mode === 'practice');
const modeIssue = { message: 'allowCheck must be true in practice mode and false in exam mode (give mode alone)', path: ['allowCheck'] };

export const testInputSchema = testFields.refine(windowInOrder, windowIssue).refine(modeAgrees, modeIssue);
export type TestInput = z.infer<typeof testInputSchema>;

/** A change to a test: any field but the bank; null clears the lab or the window. */
export const testPatchSchema = z
  .object({
    title: testFields.shape.title,
    description: text({ max: 5000, multiline: true }),
    lab: labId.nullable(),
    timeLimitSeconds: testFields.shape.timeLimitSeconds,
    attemptsAllowed: z.number().int().min(1).max(100),
    availableFrom: dateTime().nullable(),
    availableUntil: dateTime().nullable(),
    mode: testModeSchema,
    allowCheck: z.boolean(),
    showSolutions: z.boolean(),
    open: z.boolean(),
    selection: selectionSchema,
    warmPool: warmPoolSchema.nullable(),
  })
  .partial()
  .refine(windowInOrder, windowIssue)
  .refine(modeAgrees, modeIssue);
export type TestPatch = z.infer<typeof testPatchSchema>;

export const testSchema = z.object({
  id: z.string(),
  /** Whether the caller manages it (owner, co-instructor, admin); only then are its managers shown. */
  canManage: z.boolean(),
  ...managersSchema,
  title: z.string(),
  description: z.string(),
  bankId: z.string(),
  lab: z.string().nullable(),
  timeLimitSeconds: z.number(),
  attemptsAllowed: z.number(),
  availableFrom: z.date().nullable(),
  availableUntil: z.date().nullable(),
  mode: testModeSchema,
  /** Whether learners may Check tasks during an attempt (practice mode). */
  allowCheck: z.boolean(),
  showSolutions: z.boolean(),
  open: z.boolean(),
  selection: selectionSchema,
  /** Warm pool size set on the test; null: the lab's, else the server's default. */
  warmPool: z.number().nullable(),
  createdAt: z.date(),
});

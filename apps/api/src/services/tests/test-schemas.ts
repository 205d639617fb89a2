// The shape of a practice test as the API accepts and returns it (zod, the project's one schema
// language); the selection is stored as JSON on the test.
import { z } from 'zod';

export const selectionSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('fixed'), questions: z.array(z.string().min(1)).min(1).max(100) }),
  z.object({
    mode: z.literal('draw'),
    pools: z.array(z.object({ kinds: z.array(z.enum(['choice', 'answer', 'task'])).min(1).optional(), count: z.number().int().min(1).max(100) })).min(1).max(20),
  }),
]);
export type Selection = z.infer<typeof selectionSchema>;

export const testInputSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    description: z.string().max(5000).default(''),
    bankId: z.string().uuid(),
    lab: z.string().min(1).max(63),
    timeLimitSeconds: z.number().int().min(5).max(86_400),
    attemptsAllowed: z.number().int().min(1).max(100).default(1),
    availableFrom: z.coerce.date().optional(),
    availableUntil: z.coerce.date().optional(),
    allowCheck: z.boolean().default(false),
    showSolutions: z.boolean().default(true),
    /** Open to every signed-in learner (default: only to the cohorts it is assigned to). */
    open: z.boolean().default(false),
    selection: selectionSchema,
  })
  .refine((t) => !t.availableFrom || !t.availableUntil || t.availableFrom < t.availableUntil, { message: 'availableFrom must be before availableUntil', path: ['availableUntil'] });
export type TestInput = z.infer<typeof testInputSchema>;

export const testSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  bankId: z.string(),
  lab: z.string(),
  timeLimitSeconds: z.number(),
  attemptsAllowed: z.number(),
  availableFrom: z.date().nullable(),
  availableUntil: z.date().nullable(),
  allowCheck: z.boolean(),
  showSolutions: z.boolean(),
  open: z.boolean(),
  selection: selectionSchema,
  createdAt: z.date(),
});

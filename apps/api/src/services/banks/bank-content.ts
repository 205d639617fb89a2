// The stored form of a bank version (`bank_versions.content`) and of each question
// (`questions.spec`): the labs as @praxis/labs loaded them, under a schema version. Written by the
// import, validated on every read (never a bare cast), so a row this server cannot read is a
// clear error, not a crash deep in grading. Versions never change once written, so a read is
// parsed once and kept (a bounded cache by id).
import type { DbClient } from '@praxis/db';
import { z } from 'zod';
import { NORMALIZERS, SPOOF_CLASSES, type Lab, type Question } from '@praxis/labs';
import { topologySchema } from '@praxis/sandbox';
import { ApiError } from '../../lib/api-error';

/** Bump with a migration that rewrites older rows when the stored shape changes. */
export const BANK_CONTENT_VERSION = 1;

const scriptSchema = z.object({
  nodes: z.array(z.string()),
  text: z.string(),
  source: z.string(),
  timeoutMs: z.number().optional(),
  lib: z.string().optional(),
});

/** A task's spoof fixtures (rows stored before they existed have none: read as []). */
const spoofSchema = z.object({
  id: z.string(),
  class: z.enum(SPOOF_CLASSES),
  summary: z.string(),
  after: z.array(z.string()),
  steps: z.array(scriptSchema),
  symptom: scriptSchema.optional(),
  fails: z.array(z.string()),
});

/** A question's texts in another language (docs/lab-format.md, Translations). */
const questionTranslationSchema = z.object({
  prompt: z.string().optional(),
  explanation: z.string().optional(),
  hint: z.string().optional(),
  options: z.record(z.string(), z.string()).optional(),
});

const common = {
  id: z.string(),
  number: z.number(),
  points: z.number(),
  prompt: z.string(),
  explanation: z.string(),
  hint: z.string().optional(),
  translations: z.record(z.string(), questionTranslationSchema).optional(),
  /** The lab stage the question belongs to (absent: open from the start, and on rows stored before stages). */
  stage: z.string().optional(),
};

export const storedQuestionSchema = z.discriminatedUnion('kind', [
  z.object({ ...common, kind: z.literal('choice'), multiple: z.boolean(), options: z.array(z.object({ id: z.string(), text: z.string(), correct: z.boolean() })) }),
  z.object({
    ...common,
    kind: z.literal('answer'),
    expected: z.discriminatedUnion('kind', [z.object({ kind: z.literal('value'), value: z.string() }), z.object({ kind: z.literal('script'), script: scriptSchema })]),
    reference: z.string(),
    normalize: z.array(z.enum(NORMALIZERS)),
    alternatives: z.array(z.string()),
    patterns: z.array(z.string()).optional(),
  }),
  z.object({ ...common, kind: z.literal('task'), check: scriptSchema, solve: z.array(scriptSchema), after: z.array(z.string()).optional(), spoofs: z.array(spoofSchema).default([]) }),
]);

const storedLabSchema = z.object({
  id: z.string(),
  dir: z.string(),
  title: z.string(),
  summary: z.string(),
  tags: z.array(z.string()),
  difficulty: z.enum(['easy', 'medium', 'hard']),
  timeLimitMinutes: z.number(),
  warmPool: z.number().optional(),
  intro: z.string(),
  finish: z.string().optional(),
  variables: z.record(z.string(), z.string()),
  lib: z.string().optional(),
  topology: topologySchema,
  questions: z.array(storedQuestionSchema),
  /** Stages a passed task unlocks (absent on labs stored before stages, or without any). */
  stages: z.array(z.object({ id: z.string(), title: z.string(), unlock: z.array(z.string()), setup: z.array(scriptSchema) })).optional(),
  maxPoints: z.number(),
  translations: z
    .record(z.string(), z.object({ title: z.string().optional(), summary: z.string().optional(), intro: z.string().optional(), finish: z.string().optional() }))
    .optional(),
});

export const bankContentSchema = z.object({ schemaVersion: z.literal(BANK_CONTENT_VERSION), labs: z.array(storedLabSchema) });

export interface BankContent {
  schemaVersion: typeof BANK_CONTENT_VERSION;
  labs: Lab[];
}

/** A small cache of parsed rows by id: the rows never change, the parse is not free. */
class ParsedCache<T> {
  private readonly items = new Map<string, T>();
  constructor(private readonly size: number) {}
  peek(id: string): T | undefined {
    return this.items.get(id);
  }
  get(id: string, parse: () => T): T {
    const hit = this.items.get(id);
    if (hit) return hit;
    const value = parse();
    if (this.items.size >= this.size) this.items.delete(this.items.keys().next().value!);
    this.items.set(id, value);
    return value;
  }
}

const versions = new ParsedCache<BankContent>(64);
const questions = new ParsedCache<Question>(4096);

function unreadable(what: string, issues: z.core.$ZodIssue[]): ApiError {
  const first = issues[0];
  const where = first?.path.length ? ` at ${first.path.join('.')}` : '';
  return new ApiError(500, 'BANK_CONTENT_UNREADABLE', `${what} was stored in a form this server cannot read (${first?.message ?? 'invalid'}${where}); re-import the bank to make a new version`);
}

/** The labs of a bank version, validated (and its schema version checked). */
export function readBankContent(version: { id: string; content: unknown }): BankContent {
  return versions.get(version.id, () => {
    const parsed = bankContentSchema.safeParse(version.content);
    if (!parsed.success) throw unreadable(`bank version ${version.id}`, parsed.error.issues);
    return parsed.data satisfies BankContent;
  });
}

/** The labs of bank version `id`, fetched from the database only when not parsed already (lists read many). */
export async function loadBankContent(db: DbClient, id: string): Promise<BankContent> {
  return versions.peek(id) ?? readBankContent(await db.bankVersion.findUniqueOrThrow({ where: { id }, select: { id: true, content: true } }));
}

/** One stored question, validated. */
export function readQuestionSpec(question: { id: string; spec: unknown }): Question {
  return questions.get(question.id, () => {
    const parsed = storedQuestionSchema.safeParse(question.spec);
    if (!parsed.success) throw unreadable(`question ${question.id}`, parsed.error.issues);
    return parsed.data satisfies Question;
  });
}

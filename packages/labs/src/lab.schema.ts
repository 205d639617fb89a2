// The shape of lab.yaml, in zod: metadata, the topology (@praxis/topology, the schema the sandbox builds from), per-node
// setup scripts, lab variables and the questions. File references (Markdown, scripts) are plain
// relative paths here; the loader reads them and checks they exist (see load-lab.ts).
import { debianPackageSchema, MAX_NODE_PACKAGES, topologySchema } from '@praxis/topology';
import { z } from 'zod';

export const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const VARIABLE_NAME = /^[a-z_][a-z0-9_]{0,39}$/;
const NODE_NAME = /^[a-z][a-z0-9-]{0,30}$/;

const slug = z.string().regex(SLUG, 'must be lower-case letters, digits and dashes');
const nodeName = z.string().regex(NODE_NAME, 'must be a node name (lower-case letters, digits and dashes)');
/** A path relative to the lab folder; resolved and read by the loader. */
const relativeFile = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), 'must be a path inside the lab folder (no leading "/" and no "..")');

/**
 * A script: either a file of the lab (`file`) or inline text (`run`), run by bash on `node` (or on
 * each of `nodes`). Check and expected-answer scripts run in the trusted grader of that node;
 * solve and setup scripts run in the node itself, as the learner would type them.
 */
export const scriptSchema = z
  .strictObject({
    node: nodeName.optional(),
    nodes: z.array(nodeName).min(1).max(16).optional(),
    file: relativeFile.optional(),
    run: z.string().min(1).optional(),
    /** Seconds; overrides the grader's default of 10. */
    timeout: z.number().positive().max(300).optional(),
  })
  .superRefine((s, ctx) => {
    if ((s.file === undefined) === (s.run === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of "file" (a script file of the lab) or "run" (inline script)' });
    }
    if ((s.node === undefined) === (s.nodes === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of "node" or "nodes"' });
    }
  });

const questionBase = {
  id: slug,
  /** Markdown file with the question text (variables templated in). */
  prompt: relativeFile,
  points: z.number().int().min(0).max(100).default(1),
  /** Markdown shown after submission (and in "show solution"). */
  explanation: z.string().min(1),
  /** Optional hint the learner may reveal before submitting. */
  hint: z.string().optional(),
  /** The stage (`stages[].id`) the question belongs to: locked until that stage unlocks. None: open from the start. */
  stage: slug.optional(),
};

export const choiceOptionSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'must be a short id of letters, digits, "-" or "_", like "a", "ip-forward" or "ipMasq"'),
  text: z.string().min(1),
  correct: z.boolean().default(false),
});

export const choiceQuestionSchema = z.strictObject({
  ...questionBase,
  kind: z.literal('choice'),
  /** true: the learner picks every correct option (all-or-nothing); false: exactly one is correct. */
  multiple: z.boolean().default(false),
  options: z.array(choiceOptionSchema).min(2).max(10),
});

export const NORMALIZERS = ['ip', 'mac', 'case', 'spaces', 'number'] as const;
export type Normalizer = (typeof NORMALIZERS)[number];

export const answerQuestionSchema = z.strictObject({
  ...questionBase,
  kind: z.literal('answer'),
  expected: z.union([
    z.strictObject({ value: z.union([z.string(), z.number()]).transform(String) }),
    z.strictObject({ script: scriptSchema }),
  ]),
  /**
   * The answer the author expects today; the learner's answer and the computed value are both
   * compared after the same normalisers. Required with a script (the authoring test proves the
   * script resolves to it); defaults to the fixed value otherwise.
   */
  reference: z.union([z.string(), z.number()]).transform(String).optional(),
  /** Normalisers applied to both sides; surrounding whitespace is always trimmed. */
  normalize: z.array(z.enum(NORMALIZERS)).default([]),
  /** More accepted forms beyond the expected value (after normalisation). */
  alternatives: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
  /**
   * Accepted answers as regular expressions (JavaScript syntax), matched against the whole
   * normalised answer: `"10\\.0\\.0\\.\\d+"`, or `".*eth0.*"` for "contains eth0".
   */
  patterns: z.array(z.string().min(1).max(500)).max(20).default([]),
});

/**
 * How a cheating learner fakes a task, by the kind of thing staged (docs/lab-format.md, "Spoof
 * fixtures"): an address or a listener on a machine that should not have it, a rule or route that
 * can never match, one that matches only what a check probes, cables whose far ends lead
 * elsewhere than their names say, faked binaries or files, grader processes killed from the node,
 * or something else.
 */
export const SPOOF_CLASSES = ['address', 'listener', 'dead-rule', 'narrow-rule', 'cable', 'fake-file', 'kill', 'other'] as const;
export type SpoofClass = (typeof SPOOF_CLASSES)[number];

/**
 * A spoof fixture: what a cheating learner would run to fake a task. `praxis lab test` runs it on
 * fresh machines (after the solutions of the tasks in `after`), proves its `symptom` is staged,
 * and requires the checks of the tasks in `fails` (default: its own task) to still fail.
 */
export const spoofSchema = z.strictObject({
  id: slug,
  class: z.enum(SPOOF_CLASSES),
  /** One sentence: what the cheater stages, e.g. "the LAN host serves a copy of blue's page itself". */
  summary: z.string().min(1).max(300),
  /** Tasks whose solutions run first, in this order (the honest part of the cheater's work). */
  after: z.array(slug).max(50).default([]),
  /** What the cheater types, run in the nodes in order (like `solve`). */
  steps: z.array(scriptSchema).min(1),
  /**
   * Optional proof that the fake shows (run in the trusted grader after the steps; must pass):
   * e.g. that `curl` from the LAN host now returns blue's page. Without it a fixture that stages
   * nothing would "hold" trivially.
   */
  symptom: scriptSchema.optional(),
  /** Tasks whose checks must still fail after the steps; default: the task the spoof belongs to. */
  fails: z.array(slug).min(1).max(50).optional(),
});

export const taskQuestionSchema = z.strictObject({
  ...questionBase,
  kind: z.literal('task'),
  /** Passes when the script exits 0 on every node; lines starting with "FAIL:" tell the learner why not. */
  check: scriptSchema,
  /**
   * What a learner would type, run in the node(s) in order by `praxis lab test` and shown as the
   * solution. May be empty (an imported task without one): the authoring test then warns that it
   * cannot prove the check passes.
   */
  solve: z.array(scriptSchema).default([]),
  /**
   * Tasks whose solutions must run before this task's own, in this order, when the task is tested
   * alone (`praxis lab test --isolated`): the state it builds on.
   */
  after: z.array(slug).max(50).default([]),
  /** How a cheater would fake this task; `praxis lab test` proves each one leaves the check failing. */
  spoofs: z.array(spoofSchema).max(20).default([]),
});

export const questionSchema = z.discriminatedUnion('kind', [choiceQuestionSchema, answerQuestionSchema, taskQuestionSchema]);

/** A language tag of a translation: `ko`, `ja`, `pt-BR`. */
export const LANGUAGE = /^[a-z]{2,3}(-[A-Z]{2})?$/;

/**
 * Translated texts of one language, beside the original: the Markdown files are found by name
 * (`intro.<lang>.md` beside the intro, `<prompt>.<lang>.md` beside each prompt); lab.yaml carries
 * the short texts. Anything missing falls back to the original.
 */
export const translationSchema = z.strictObject({
  title: z.string().min(1).max(120).optional(),
  summary: z.string().min(1).max(500).optional(),
  /** By question id: the texts of lab.yaml that belong to that question. */
  questions: z
    .record(
      z.string(),
      z.strictObject({
        explanation: z.string().min(1).optional(),
        hint: z.string().min(1).optional(),
        /** By option id: the option's text. */
        options: z.record(z.string(), z.string().min(1)).optional(),
      }),
    )
    .default({}),
});

/**
 * A file of the lab copied into nodes before their setup runs (Killercoda's `assets`): `source`
 * in the lab folder, `target` an absolute path in the node (ending in "/": a folder, the file keeps
 * its name), `mode` octal (default 0644).
 */
export const labFileCopySchema = z
  .strictObject({
    source: relativeFile,
    node: nodeName.optional(),
    nodes: z.array(nodeName).min(1).max(16).optional(),
    target: z
      .string()
      .regex(/^\/[^\0]*$/, 'must be an absolute path in the node, like /root/app.conf or /etc/nginx/')
      .refine((p) => !p.split('/').includes('..'), 'must not contain ".."'),
    mode: z
      .union([z.string(), z.number()])
      .transform(String)
      .refine((m) => /^0?[0-7]{3,4}$/.test(m), 'must be an octal mode like "0644" or "0755" (quote it)')
      .default('0644'),
  })
  .superRefine((f, ctx) => {
    if ((f.node === undefined) === (f.nodes === undefined)) ctx.addIssue({ code: 'custom', message: 'give exactly one of "node" or "nodes"' });
  });

/**
 * A stage of the lab: questions (`stage: <id>`) that open once every task in `unlock` has passed
 * a Check, after the stage's `setup` scripts ran in the nodes (e.g. the next fault injected).
 * Unlocking tasks belong to no stage or to a stage listed before this one.
 */
export const stageSchema = z.strictObject({
  id: slug,
  /** Shown on the locked questions, e.g. "Part 2: the outage". Defaults to the id. */
  title: z.string().min(1).max(120).optional(),
  /** Tasks whose passing Check unlocks the stage (all of them). */
  unlock: z.array(slug).min(1).max(10),
  /** Run in the nodes, as root, by their own `#!` interpreter (sh without one), when the stage unlocks. */
  setup: z.array(scriptSchema).max(20).default([]),
});

export const labSchema = z.strictObject({
  /** Defaults to the folder name. */
  id: slug.optional(),
  title: z.string().min(1).max(120),
  summary: z.string().min(1).max(500),
  tags: z.array(z.string().min(1).max(40)).max(20).default([]),
  difficulty: z.enum(['easy', 'medium', 'hard']),
  /** Minutes the learner gets for the whole lab. */
  timeLimitMinutes: z.number().int().min(1).max(480),
  /**
   * Instances of this lab the server keeps provisioned ahead while a test using it is open
   * (the warm pool); overrides PRAXIS_WARM_POOL. A cluster lab starts in about a second from it.
   */
  warmPool: z.number().int().min(0).max(8).optional(),
  /** Markdown file shown before the questions. */
  intro: relativeFile.default('intro.md'),
  /** Values templated into Markdown as {{ name }} and exported to every script as shell variables. */
  variables: z
    .record(z.string().regex(VARIABLE_NAME, 'variable names are lower-case letters, digits and "_"'), z.union([z.string(), z.number()]).transform(String))
    .default({}),
  topology: topologySchema,
  /**
   * Debian packages every node of the lab gets (added to each node's own `packages:`), installed
   * into a lab image built once by content hash (docs/lab-format.md, "Packages").
   */
  packages: z.array(debianPackageSchema).max(MAX_NODE_PACKAGES, `a lab may name at most ${MAX_NODE_PACKAGES} packages`).default([]),
  /**
   * Shell library of the lab (e.g. `checks/lib.sh`): functions shared by checks and computed
   * answers, run in the grader before each of them (never in the node, never before solves).
   */
  lib: relativeFile.optional(),
  /** Setup script file per node, run as root in the node once its links are up. */
  setup: z.record(nodeName, relativeFile).default({}),
  /** Files of the lab copied into nodes before setup (target path, mode). */
  files: z.array(labFileCopySchema).max(200).default([]),
  /** Markdown shown once the learner has finished (submitted) the lab. */
  finish: relativeFile.optional(),
  /** Stages a passed task unlocks, each with setup for its questions (see stageSchema). */
  stages: z.array(stageSchema).max(10).default([]),
  questions: z.array(questionSchema).min(1).max(50),
  /** Translations by language tag (see translationSchema). */
  translations: z.record(z.string().regex(LANGUAGE, 'must be a language tag such as "ko" or "pt-BR"'), translationSchema).default({}),
});

export type LabFile = z.output<typeof labSchema>;
export type ScriptSpec = z.output<typeof scriptSchema>;
export type ChoiceQuestionFile = z.output<typeof choiceQuestionSchema>;
export type AnswerQuestionFile = z.output<typeof answerQuestionSchema>;
export type TaskQuestionFile = z.output<typeof taskQuestionSchema>;
export type QuestionFile = z.output<typeof questionSchema>;
export type LabFileCopy = z.output<typeof labFileCopySchema>;
export type SpoofFile = z.output<typeof spoofSchema>;
export type StageFile = z.output<typeof stageSchema>;
export type TranslationFile = z.output<typeof translationSchema>;

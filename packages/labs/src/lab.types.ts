// What the rest of Praxis sees of a lab once it is loaded: every file read, every text templated,
// every reference checked. The grader, the API and the CLI depend on these types only.
import type { Topology } from '@praxis/topology';
import type { Normalizer, SpoofClass } from './lab.schema';

/** One problem in a lab, located for an author: `lab.yaml:42 question 4 (route-on-a) check.node: ...`. */
export interface LabIssue {
  /** Stable code, e.g. LAB_SCHEMA, LAB_REFERENCE, LAB_FILE_MISSING, LAB_YAML_SYNTAX. */
  code: string;
  /** Path relative to the lab folder (`lab.yaml`, `questions/gateway.md`). */
  file: string;
  /** 1-based line in that file (1 when the problem is the whole file). */
  line: number;
  /** 1-based column, when known (YAML syntax errors). */
  column?: number;
  /** The field, e.g. `question 4 (route-on-a) check.node`, `topology.links[0].address` ('' for a whole file). */
  path: string;
  message: string;
}

/** A script ready to run: its text, where it came from, and the nodes it runs on. */
export interface LabScript {
  nodes: string[];
  text: string;
  /** `scripts/check-route.sh` or `lab.yaml:57` for an inline `run`. */
  source: string;
  /** Per-script time limit in ms, when the author set one. */
  timeoutMs?: number;
  /**
   * The lab's shared shell library (`lib:` in lab.yaml), on check and computed-answer scripts
   * only: the grader runs it before `text`. Carried per script so a stored lab grades alike.
   */
  lib?: string;
}

/** A question's texts in another language (each falls back to the original when absent). */
export interface QuestionTranslation {
  prompt?: string;
  explanation?: string;
  hint?: string;
  /** By option id. */
  options?: Record<string, string>;
}

/** The lab's own texts in another language. */
export interface LabTranslation {
  title?: string;
  summary?: string;
  intro?: string;
  /** The finish text (`<finish>.<lang>.md` beside the original). */
  finish?: string;
}

interface QuestionCommon {
  id: string;
  /** 1-based position in the lab. */
  number: number;
  points: number;
  /** Markdown, variables substituted. */
  prompt: string;
  explanation: string;
  hint?: string;
  /** Translated texts by language tag (templated like the originals); absent when none. */
  translations?: Record<string, QuestionTranslation>;
  /** The stage (`Lab.stages[].id`) the question belongs to; absent: open from the start. */
  stage?: string;
}

export interface ChoiceOption {
  id: string;
  text: string;
  correct: boolean;
}

export interface ChoiceQuestion extends QuestionCommon {
  kind: 'choice';
  multiple: boolean;
  options: ChoiceOption[];
}

export type ExpectedAnswer = { kind: 'value'; value: string } | { kind: 'script'; script: LabScript };

export interface AnswerQuestion extends QuestionCommon {
  kind: 'answer';
  expected: ExpectedAnswer;
  /** The author's reference answer (the fixed value when there is no script). */
  reference: string;
  normalize: Normalizer[];
  alternatives: string[];
  /** Accepted answers as whole-answer regular expressions (absent on labs stored before patterns existed). */
  patterns?: string[];
}

/** A spoof fixture of a task, loaded: see `spoofSchema`. */
export interface Spoof {
  id: string;
  class: SpoofClass;
  summary: string;
  /** Task ids whose solutions run first, in order. */
  after: string[];
  /** The cheater's scripts, run in the nodes. */
  steps: LabScript[];
  /** Grader script that must pass once the steps ran: the fake really shows. */
  symptom?: LabScript;
  /** Task ids whose checks must still fail (the spoof's own task when the file names none). */
  fails: string[];
}

export interface TaskQuestion extends QuestionCommon {
  kind: 'task';
  check: LabScript;
  solve: LabScript[];
  /** Tasks whose solutions run first when this task is tested alone (absent on labs stored before). */
  after?: string[];
  /**
   * How a cheater would fake the task (may be missing on labs stored before spoof fixtures
   * existed: read it as `spoofs ?? []`).
   */
  spoofs: Spoof[];
}

/** A stage of a lab: its questions open once every `unlock` task passed a Check and `setup` ran. */
export interface LabStage {
  id: string;
  /** Shown on its locked questions (the id when the author gave none). */
  title: string;
  /** Task ids; all must pass. */
  unlock: string[];
  /** Scripts run in the nodes as root (by their `#!` interpreter, sh without one) when it unlocks. */
  setup: LabScript[];
}

export type Question = ChoiceQuestion | AnswerQuestion | TaskQuestion;

export interface Lab {
  id: string;
  /** Absolute path of the lab folder it was loaded from. */
  dir: string;
  title: string;
  summary: string;
  tags: string[];
  difficulty: 'easy' | 'medium' | 'hard';
  timeLimitMinutes: number;
  /** Warm pool size asked for by the lab (lab.yaml `warmPool`); undefined: the server's default. */
  warmPool?: number;
  /** Markdown, variables substituted. */
  intro: string;
  /** Markdown shown once the lab is finished (lab.yaml `finish`), variables substituted. */
  finish?: string;
  variables: Record<string, string>;
  /** The lab's shared shell library (`lib:`), when it has one; also set on every grader script. */
  lib?: string;
  /** The sandbox topology, each node's `setup` filled from the lab's setup files. */
  topology: Topology;
  questions: Question[];
  /** Stages a passed task unlocks (absent or empty: every question is open from the start). */
  stages?: LabStage[];
  maxPoints: number;
  /** Translated lab texts by language tag; the questions carry their own. Absent when none. */
  translations?: Record<string, LabTranslation>;
}

export type LoadLabResult = { ok: true; lab: Lab } | { ok: false; dir: string; errors: LabIssue[] };

// Loading one lab folder: lab.yaml (parsed with line numbers), its Markdown and script files, the
// schema, then every cross-reference zod cannot see. All or nothing: a lab with any error loads
// as {ok:false, errors} naming file, line and field, and nothing here throws to the caller.
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { TopologyError, formatFieldPath, parseTopology, type Topology } from '@praxis/topology';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { describeSchemaIssues } from './describe-schema-issues';
import { describeYamlErrors } from './describe-yaml-errors';
import { labSchema, type LabFile, type QuestionFile, type ScriptSpec, type SpoofFile } from './lab.schema';
import type { LabIssue, LabScript, LoadLabResult, Question } from './lab.types';
import { loadTranslations } from './load-translations';
import { findUnknownVariables, renderTemplate } from './render-template';
import { locateField, parseFieldPath, type FieldPath } from './yaml-locate';

export const LAB_FILE = 'lab.yaml';
/** Files larger than this are refused: a lab is text written by a person. */
const MAX_FILE_BYTES = 256 * 1024;

export interface LoadLabOptions {
  /** Per-attempt values that replace the lab's own `variables` (same names only). */
  variables?: Record<string, string>;
}

class IssueList {
  readonly items: LabIssue[] = [];
  constructor(
    private readonly doc: Document | undefined,
    private readonly lines: LineCounter,
  ) {}
  /** An issue on a field of lab.yaml, located by its path. */
  field(code: string, at: FieldPath, message: string) {
    const line = this.doc ? locateField(this.doc, this.lines, at) : 1;
    this.items.push({ code, file: LAB_FILE, line, path: this.describePath(at), message });
  }
  /**
   * `question 3 (route-on-a) check.node` for a field of a question: numbered from 1 with its id,
   * as `praxis lab test`'s table and the learner's page number them; other fields as paths.
   */
  describePath(at: FieldPath): string {
    const word = at[0] === 'questions' ? 'question' : at[0] === 'stages' ? 'stage' : undefined;
    if (!word || typeof at[1] !== 'number') return formatFieldPath(at);
    const raw: unknown = this.doc?.getIn([at[0], at[1], 'id']);
    const id = typeof raw === 'string' && raw.length <= 63 ? ` (${raw})` : '';
    const rest = at.slice(2);
    return `${word} ${at[1] + 1}${id}${rest.length ? ` ${formatFieldPath(rest)}` : ''}`;
  }
  file(code: string, file: string, line: number, message: string, at = '') {
    this.items.push({ code, file, line, path: at, message });
  }
}

export async function loadLab(dir: string, options: LoadLabOptions = {}): Promise<LoadLabResult> {
  const absDir = path.resolve(dir);
  try {
    return await loadLabUnsafe(absDir, options);
  } catch (error) {
    // A bug or an I/O failure still comes back as a located error, never as a throw.
    return {
      ok: false,
      dir: absDir,
      errors: [{ code: 'LAB_LOAD_FAILED', file: LAB_FILE, line: 1, path: '', message: `the lab could not be loaded: ${(error as Error).message}` }],
    };
  }
}

async function loadLabUnsafe(dir: string, options: LoadLabOptions): Promise<LoadLabResult> {
  const fail = (errors: LabIssue[]): LoadLabResult => ({ ok: false, dir, errors });
  const yamlText = await readLabFile(dir, LAB_FILE);
  if (typeof yamlText !== 'string') {
    return fail([{ code: 'LAB_FILE_MISSING', file: LAB_FILE, line: 1, path: '', message: `${dir} has no ${LAB_FILE} (${yamlText.reason})` }]);
  }

  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  // A broken document is never handed to the schema: its half-parsed shape only adds noise.
  if (doc.errors.length > 0) return fail(describeYamlErrors(doc.errors, yamlText, lines));
  const issues = new IssueList(doc, lines);
  const data = doc.toJS();
  const parsed = labSchema.safeParse(data);
  if (!parsed.success) {
    for (const p of describeSchemaIssues(parsed.error.issues, data, labSchema)) issues.field('LAB_SCHEMA', p.path, p.message);
    return fail(issues.items);
  }
  const file = parsed.data;

  const variables = { ...file.variables };
  for (const [k, v] of Object.entries(options.variables ?? {})) {
    if (!Object.hasOwn(variables, k)) issues.field('LAB_REFERENCE', ['variables'], `override "${k}" is not a variable of this lab`);
    else variables[k] = v;
  }

  checkReferences(file, issues);
  const texts = await readTexts(dir, file, variables, issues);
  const topology = buildTopology(file, texts, variables, issues);
  const render = (text: string) => renderTemplate(text, variables);
  const translations = await loadTranslations(dir, file, variables, issues, (rel) => readLabFile(dir, rel), render);
  if (issues.items.length > 0 || !topology) return fail(issues.items);

  const lib = file.lib ? texts.get(file.lib) : undefined;
  const locate = (at: FieldPath) => locateField(doc, lines, at);
  const questions: Question[] = file.questions.map((q, i) => {
    const built = buildQuestion(q, i, texts, render, locate, lib);
    const translated = translations.questions.get(q.id);
    return translated ? { ...built, translations: translated } : built;
  });
  const stages = file.stages.map((st, i) => ({
    id: st.id,
    title: render(st.title ?? st.id),
    unlock: st.unlock,
    setup: st.setup.map((s, j) => toScript(s, ['stages', i, 'setup', j], texts, locate)),
  }));
  return {
    ok: true,
    lab: {
      id: file.id ?? path.basename(dir),
      dir,
      title: render(file.title),
      summary: render(file.summary),
      tags: file.tags,
      difficulty: file.difficulty,
      timeLimitMinutes: file.timeLimitMinutes,
      ...(file.warmPool !== undefined ? { warmPool: file.warmPool } : {}),
      intro: render(texts.get(file.intro)!),
      ...(file.finish ? { finish: render(texts.get(file.finish)!) } : {}),
      variables,
      ...(lib !== undefined ? { lib } : {}),
      topology,
      questions,
      ...(stages.length > 0 ? { stages } : {}),
      maxPoints: questions.reduce((sum, q) => sum + q.points, 0),
      ...(Object.keys(translations.lab).length > 0 ? { translations: translations.lab } : {}),
    },
  };
}

type ReadFailure = { reason: string };

/** Reads a file of the lab, refusing anything outside the folder (symlinks included) or too large. */
async function readLabFile(dir: string, rel: string): Promise<string | ReadFailure> {
  const full = path.join(dir, rel);
  let real: string;
  try {
    real = await realpath(full);
  } catch {
    return { reason: 'no such file' };
  }
  const realDir = await realpath(dir).catch(() => dir);
  if (real !== realDir && !real.startsWith(realDir + path.sep)) return { reason: 'it points outside the lab folder' };
  const info = await stat(real);
  if (!info.isFile()) return { reason: 'it is not a regular file' };
  if (info.size > MAX_FILE_BYTES) return { reason: `it is larger than ${MAX_FILE_BYTES / 1024} KiB` };
  const text = await readFile(real, 'utf8');
  if (text.includes('\u0000')) return { reason: 'it is not a text file' };
  return text;
}

function scriptNodes(s: ScriptSpec): string[] {
  return s.nodes ?? (s.node ? [s.node] : []);
}

/** Every script of the lab with the path of its spec in lab.yaml. */
function scriptsOf(file: LabFile): { at: FieldPath; spec: ScriptSpec }[] {
  const out: { at: FieldPath; spec: ScriptSpec }[] = [];
  file.questions.forEach((q, i) => {
    if (q.kind === 'task') {
      out.push({ at: ['questions', i, 'check'], spec: q.check });
      q.solve.forEach((s, j) => out.push({ at: ['questions', i, 'solve', j], spec: s }));
      q.spoofs.forEach((f, k) => {
        f.steps.forEach((s, j) => out.push({ at: ['questions', i, 'spoofs', k, 'steps', j], spec: s }));
        if (f.symptom) out.push({ at: ['questions', i, 'spoofs', k, 'symptom'], spec: f.symptom });
      });
    } else if (q.kind === 'answer' && 'script' in q.expected) {
      out.push({ at: ['questions', i, 'expected', 'script'], spec: q.expected.script });
    }
  });
  file.stages.forEach((st, i) => st.setup.forEach((s, j) => out.push({ at: ['stages', i, 'setup', j], spec: s })));
  return out;
}

function checkReferences(file: LabFile, issues: IssueList) {
  const nodeNames = new Set(file.topology.nodes.map((n) => n.name));
  const known = [...nodeNames].join(', ');

  file.topology.nodes.forEach((n, i) => {
    if (n.setup !== undefined) {
      issues.field('LAB_REFERENCE', ['topology', 'nodes', i, 'setup'], `write setup scripts as files and list them under the top-level "setup:" map (setup: { ${n.name}: setup/${n.name}.sh })`);
    }
  });
  file.files.forEach((f, i) => {
    (f.nodes ?? (f.node ? [f.node] : [])).forEach((n, j) => {
      if (!nodeNames.has(n)) issues.field('LAB_REFERENCE', f.nodes ? ['files', i, 'nodes', j] : ['files', i, 'node'], `"${n}" is not a node of the topology (nodes: ${known})`);
    });
  });
  for (const node of Object.keys(file.setup)) {
    if (!nodeNames.has(node)) issues.field('LAB_REFERENCE', ['setup', node], `"${node}" is not a node of the topology (nodes: ${known})`);
  }
  for (const { at, spec } of scriptsOf(file)) {
    const nodes = scriptNodes(spec);
    nodes.forEach((n, j) => {
      if (!nodeNames.has(n)) issues.field('LAB_REFERENCE', spec.nodes ? [...at, 'nodes', j] : [...at, 'node'], `"${n}" is not a node of the topology (nodes: ${known})`);
    });
    if (new Set(nodes).size !== nodes.length) issues.field('LAB_REFERENCE', [...at, 'nodes'], 'lists the same node twice');
  }

  checkStageReferences(file, issues);
  const ids = new Map<string, number>();
  const taskIds = new Set(file.questions.filter((q) => q.kind === 'task').map((q) => q.id));
  file.questions.forEach((q, i) => {
    const at = ['questions', i];
    if (ids.has(q.id)) issues.field('LAB_REFERENCE', [...at, 'id'], `"${q.id}" is already the id of question ${ids.get(q.id)! + 1}`);
    else ids.set(q.id, i);
    if (q.kind === 'choice') {
      const optionIds = new Set<string>();
      q.options.forEach((o, j) => {
        if (optionIds.has(o.id)) issues.field('LAB_REFERENCE', [...at, 'options', j, 'id'], `option id "${o.id}" is used twice`);
        optionIds.add(o.id);
      });
      const correct = q.options.filter((o) => o.correct).length;
      if (!q.multiple && correct !== 1) issues.field('LAB_REFERENCE', [...at, 'options'], `a single-choice question needs exactly one option with "correct: true" (found ${correct})`);
      if (q.multiple && correct === 0) issues.field('LAB_REFERENCE', [...at, 'options'], 'a multiple-choice question needs at least one option with "correct: true"');
    }
    if (q.kind === 'task') {
      checkSpoofReferences(q.spoofs, [...at, 'spoofs'], taskIds, issues);
      q.after.forEach((id, j) => {
        if (id === q.id) issues.field('LAB_REFERENCE', [...at, 'after', j], 'a task cannot come after itself');
        else if (!taskIds.has(id)) issues.field('LAB_REFERENCE', [...at, 'after', j], `"${id}" is not a task of this lab (tasks: ${[...taskIds].join(', ')})`);
      });
    }
    if (q.kind === 'answer' && 'script' in q.expected && (q.expected.script.nodes?.length ?? 1) > 1) {
      issues.field('LAB_REFERENCE', [...at, 'expected', 'script', 'nodes'], 'an expected answer is computed on one node: use "node"');
    }
    if (q.kind === 'answer') {
      q.patterns.forEach((p, j) => {
        try {
          // Placeholders are templated later (and checked on their own): compile with a stand-in.
          new RegExp(`^(?:${p.replace(/\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/g, 'x')})$`, 'u');
        } catch (error) {
          issues.field('LAB_SCHEMA', [...at, 'patterns', j], `is not a regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`);
        }
      });
    }
    if (q.kind === 'answer' && 'script' in q.expected && q.reference === undefined) {
      issues.field('LAB_REFERENCE', [...at, 'reference'], 'an answer computed by a script needs a "reference" (the value the script should print on a fresh lab), so the authoring test can prove it');
    }
  });
}

/**
 * Stages: unique ids; each unlocked by tasks of no stage or of a stage listed before it (so no
 * stage waits on itself or a later one); every question's `stage` names one, every stage has a
 * question; a task builds (`after:`) only on tasks open no later than itself.
 */
function checkStageReferences(file: LabFile, issues: IssueList) {
  const order = new Map<string, number>();
  file.stages.forEach((st, i) => {
    if (order.has(st.id)) issues.field('LAB_REFERENCE', ['stages', i, 'id'], `stage id "${st.id}" is used twice (first by stage ${order.get(st.id)})`);
    else order.set(st.id, i + 1);
  });
  const stageList = [...order.keys()].join(', ') || 'none: add a "stages:" list';
  const stageOf = new Map(file.questions.map((q) => [q.id, q.stage !== undefined ? (order.get(q.stage) ?? 0) : 0]));
  const describe = (n: number) => (n === 0 ? 'no stage (open from the start)' : `stage ${n} (${file.stages[n - 1]!.id})`);
  const taskIds = file.questions.filter((q) => q.kind === 'task').map((q) => q.id);
  file.stages.forEach((st, i) => {
    st.unlock.forEach((id, j) => {
      const q = file.questions.find((x) => x.id === id);
      if (!q || q.kind !== 'task') {
        issues.field('LAB_REFERENCE', ['stages', i, 'unlock', j], `"${id}" is not a task of this lab (a stage is unlocked by passing tasks; tasks: ${taskIds.join(', ') || 'none'})`);
      } else if ((stageOf.get(id) ?? 0) >= i + 1) {
        issues.field('LAB_REFERENCE', ['stages', i, 'unlock', j], `task "${id}" is in ${describe(stageOf.get(id) ?? 0)}: a stage is unlocked by tasks of no stage or of a stage listed before it`);
      }
    });
    if (!file.questions.some((q) => q.stage === st.id)) issues.field('LAB_REFERENCE', ['stages', i, 'id'], `stage "${st.id}" has no questions (give its questions "stage: ${st.id}")`);
  });
  file.questions.forEach((q, i) => {
    if (q.stage !== undefined && !order.has(q.stage)) issues.field('LAB_REFERENCE', ['questions', i, 'stage'], `"${q.stage}" is not a stage of this lab (stages: ${stageList})`);
    if (q.kind !== 'task') return;
    const mine = stageOf.get(q.id) ?? 0;
    q.after.forEach((id, j) => {
      const theirs = stageOf.get(id) ?? 0;
      if (theirs > mine) issues.field('LAB_REFERENCE', ['questions', i, 'after', j], `task "${id}" is in ${describe(theirs)}, which opens after this task's ${describe(mine)}`);
    });
  });
}

/** Spoof ids are unique in their task; `after` and `fails` name tasks of the lab. */
function checkSpoofReferences(spoofs: SpoofFile[], at: FieldPath, taskIds: Set<string>, issues: IssueList) {
  const seen = new Set<string>();
  const tasks = [...taskIds].join(', ');
  spoofs.forEach((f, k) => {
    if (seen.has(f.id)) issues.field('LAB_REFERENCE', [...at, k, 'id'], `spoof id "${f.id}" is used twice in this task`);
    seen.add(f.id);
    for (const field of ['after', 'fails'] as const) {
      (f[field] ?? []).forEach((id, j) => {
        if (!taskIds.has(id)) issues.field('LAB_REFERENCE', [...at, k, field, j], `"${id}" is not a task of this lab (tasks: ${tasks})`);
      });
    }
  });
}

interface ReadTexts {
  get(rel: string): string | undefined;
}

/** Reads every referenced file once; reports missing files and unknown {{ variables }} with lines. */
async function readTexts(dir: string, file: LabFile, variables: Record<string, string>, issues: IssueList): Promise<ReadTexts> {
  const wanted = new Map<string, { at: FieldPath; markdown: boolean }>();
  const want = (rel: string, at: FieldPath, markdown: boolean) => {
    if (!wanted.has(rel)) wanted.set(rel, { at, markdown });
  };
  want(file.intro, ['intro'], true);
  if (file.lib) want(file.lib, ['lib'], false);
  file.questions.forEach((q, i) => want(q.prompt, ['questions', i, 'prompt'], true));
  for (const [node, rel] of Object.entries(file.setup)) want(rel, ['setup', node], false);
  file.files.forEach((f, i) => want(f.source, ['files', i, 'source'], false));
  if (file.finish) want(file.finish, ['finish'], true);
  for (const { at, spec } of scriptsOf(file)) if (spec.file) want(spec.file, [...at, 'file'], false);

  const texts = new Map<string, string>();
  await Promise.all(
    [...wanted].map(async ([rel, { at, markdown }]) => {
      const text = await readLabFile(dir, rel);
      if (typeof text !== 'string') {
        issues.field('LAB_FILE_MISSING', at, `cannot use "${rel}": ${text.reason}`);
        return;
      }
      if (text.trim() === '') issues.file('LAB_FILE_EMPTY', rel, 1, `"${rel}" is empty`);
      if (markdown) {
        for (const u of findUnknownVariables(text, variables)) {
          issues.file('LAB_VARIABLE_UNKNOWN', rel, u.line, `{{ ${u.name} }} is not a lab variable (variables: ${Object.keys(variables).join(', ') || 'none'})`);
        }
      }
      texts.set(rel, text);
    }),
  );

  // Inline texts in lab.yaml are templated too.
  const inline: { at: FieldPath; text: string | undefined }[] = [
    { at: ['title'], text: file.title },
    { at: ['summary'], text: file.summary },
  ];
  file.stages.forEach((st, i) => inline.push({ at: ['stages', i, 'title'], text: st.title }));
  file.questions.forEach((q, i) => {
    inline.push({ at: ['questions', i, 'explanation'], text: q.explanation }, { at: ['questions', i, 'hint'], text: q.hint });
    if (q.kind === 'choice') q.options.forEach((o, j) => inline.push({ at: ['questions', i, 'options', j, 'text'], text: o.text }));
    if (q.kind === 'answer' && 'value' in q.expected) inline.push({ at: ['questions', i, 'expected', 'value'], text: q.expected.value });
    if (q.kind === 'answer') inline.push({ at: ['questions', i, 'reference'], text: q.reference });
  });
  for (const { at, text } of inline) {
    for (const u of findUnknownVariables(text ?? '', variables)) {
      issues.field('LAB_VARIABLE_UNKNOWN', at, `{{ ${u.name} }} is not a lab variable (variables: ${Object.keys(variables).join(', ') || 'none'})`);
    }
  }
  return texts;
}

function buildTopology(file: LabFile, texts: ReadTexts, variables: Record<string, string>, issues: IssueList): Topology | undefined {
  const input = {
    ...file.topology,
    nodes: file.topology.nodes.map((n) => {
      const rel = file.setup[n.name];
      const text = rel ? texts.get(rel) : undefined;
      // The variables go into the script's environment, not a prelude: its lines stay the file's.
      const setup = text === undefined ? {} : { setup: text, setupSource: rel, setupEnv: variables };
      const files = file.files
        .filter((f) => (f.nodes ?? [f.node]).includes(n.name))
        .map((f) => ({ path: f.target.endsWith('/') ? f.target + path.posix.basename(f.source) : f.target, content: texts.get(f.source) ?? '', mode: f.mode }));
      // Lab-wide packages join the node's own (the topology sorts and de-duplicates them).
      return { ...n, ...setup, files, packages: [...file.packages, ...n.packages] };
    }),
  };
  try {
    return parseTopology(input);
  } catch (error) {
    if (!(error instanceof TopologyError)) throw error;
    for (const i of error.issues) issues.field('LAB_TOPOLOGY', ['topology', ...parseFieldPath(i.path)], i.message);
    return undefined;
  }
}

type Locate = (at: FieldPath) => number;

function toScript(spec: ScriptSpec, at: FieldPath, texts: ReadTexts, locate: Locate, lib?: string): LabScript {
  return {
    nodes: scriptNodes(spec),
    text: spec.file ? texts.get(spec.file)! : spec.run!,
    source: spec.file ?? `${LAB_FILE}:${locate([...at, 'run'])}`,
    ...(spec.timeout ? { timeoutMs: spec.timeout * 1000 } : {}),
    ...(lib !== undefined ? { lib } : {}),
  };
}

function buildQuestion(q: QuestionFile, index: number, texts: ReadTexts, render: (t: string) => string, locate: Locate, lib?: string): Question {
  const common = {
    id: q.id,
    number: index + 1,
    points: q.points,
    prompt: render(texts.get(q.prompt)!),
    explanation: render(q.explanation),
    ...(q.hint !== undefined ? { hint: render(q.hint) } : {}),
    ...(q.stage !== undefined ? { stage: q.stage } : {}),
  };
  // Only grader scripts (checks, computed answers) get the library; solves are what a learner types.
  const script = (spec: ScriptSpec, at: FieldPath, withLib = false) => toScript(spec, ['questions', index, ...at], texts, locate, withLib ? lib : undefined);
  switch (q.kind) {
    case 'choice':
      return { ...common, kind: 'choice', multiple: q.multiple, options: q.options.map((o) => ({ ...o, text: render(o.text) })) };
    case 'answer': {
      const expected =
        'value' in q.expected
          ? { kind: 'value' as const, value: render(q.expected.value) }
          : { kind: 'script' as const, script: script(q.expected.script, ['expected', 'script'], true) };
      const reference = q.reference !== undefined ? render(q.reference) : expected.kind === 'value' ? expected.value : '';
      return { ...common, kind: 'answer', expected, reference, normalize: q.normalize, alternatives: q.alternatives.map(render), patterns: q.patterns.map(render) };
    }
    case 'task':
      return {
        ...common,
        kind: 'task',
        check: script(q.check, ['check'], true),
        solve: q.solve.map((s, j) => script(s, ['solve', j])),
        after: q.after,
        spoofs: q.spoofs.map((f, k) => ({
          id: f.id,
          class: f.class,
          summary: f.summary,
          after: f.after,
          steps: f.steps.map((s, j) => script(s, ['spoofs', k, 'steps', j])),
          ...(f.symptom ? { symptom: script(f.symptom, ['spoofs', k, 'symptom'], true) } : {}),
          fails: f.fails ?? [q.id],
        })),
      };
  }
}

// Stages in the lab format: a stage's questions, its unlocking tasks and its setup load into the
// Lab; every mistake an author can make (an unknown stage, a stage unlocked by a task that is not
// one, by a task of its own or a later stage, a stage without questions, a setup on an unknown
// node, an after: reaching into a later stage) is an error naming line, question or stage (1-based,
// with its id) and field; the authoring test's plans run stage setups after the unlocking
// solutions. Also the translated finish text.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadLab } from './load-lab';
import { localizeFinish } from './localize';
import { planCumulative, planPrerequisites, stagesUnlockedBy } from './plan-stages';
import type { Lab, LabIssue } from './lab.types';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const STAGED = `title: Staged
summary: Two stages.
difficulty: easy
timeLimitMinutes: 10
topology:
  nodes:
    - { name: a }
    - { name: b }
  segments:
    - { name: lan1 }
  links:
    - { node: a, segment: lan1, address: 192.168.1.5/24 }
    - { node: b, segment: lan1, address: 192.168.1.6/24 }
finish: finish.md
stages:
  - id: outage
    title: "Part 2: the outage"
    unlock: [first]
    setup:
      - { node: b, file: setup/outage.sh }
  - id: third
    unlock: [fix]
questions:
  - id: first
    kind: task
    prompt: questions/q.md
    check: { node: a, run: "true" }
    solve: [{ node: a, run: "echo one" }]
    explanation: x
  - id: fix
    kind: task
    stage: outage
    prompt: questions/q.md
    check: { node: b, run: "true" }
    solve: [{ node: b, run: "echo fix" }]
    after: [first]
    explanation: x
  - id: why
    kind: choice
    stage: outage
    prompt: questions/q.md
    options:
      - { id: x, text: "yes", correct: true }
      - { id: y, text: "no" }
    explanation: x
  - id: last
    kind: task
    stage: third
    prompt: questions/q.md
    check: { node: b, run: "true" }
    solve: [{ node: b, run: "echo last" }]
    explanation: x
`;

async function makeLab(yaml: string, files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'praxis-stages-'));
  dirs.push(dir);
  const all = { 'lab.yaml': yaml, 'intro.md': 'Intro.\n', 'finish.md': 'Well done.\n', 'questions/q.md': 'Do it.\n', 'setup/outage.sh': '#!/bin/bash\nip link set eth0 down\n', ...files };
  for (const [rel, text] of Object.entries(all)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  return dir;
}

async function load(yaml: string, files: Record<string, string> = {}): Promise<Lab> {
  const r = await loadLab(await makeLab(yaml, files));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.lab;
}

async function errorsOf(yaml: string): Promise<string[]> {
  const r = await loadLab(await makeLab(yaml));
  if (r.ok) throw new Error('expected the lab to be invalid');
  return r.errors.map((e: LabIssue) => `lab.yaml:${e.line} ${e.path}: ${e.message}`);
}

describe('stages', () => {
  it('loads stages with their setup scripts and each question with its stage', async () => {
    const lab = await load(STAGED);
    expect(lab.stages).toEqual([
      { id: 'outage', title: 'Part 2: the outage', unlock: ['first'], setup: [{ nodes: ['b'], text: '#!/bin/bash\nip link set eth0 down\n', source: 'setup/outage.sh' }] },
      { id: 'third', title: 'third', unlock: ['fix'], setup: [] },
    ]);
    expect(lab.questions.map((q) => q.stage ?? null)).toEqual([null, 'outage', 'outage', 'third']);
    expect(stagesUnlockedBy(lab, new Set(['first'])).map((s) => s.id)).toEqual(['outage']);
    expect(stagesUnlockedBy(lab, new Set()).map((s) => s.id)).toEqual([]);
  });

  it('a lab without stages loads without the field', async () => {
    const yaml = STAGED.replace(/stages:\n[\s\S]*?questions:\n/, 'questions:\n').replace(/    stage: \w+\n/g, '');
    const lab = await load(yaml);
    expect(lab.stages).toBeUndefined();
    expect(lab.questions.every((q) => q.stage === undefined)).toBe(true);
  });

  it('names the question and the stage (1-based, with id), the field and the line of every stage mistake', async () => {
    const yaml = STAGED.replace('    unlock: [first]\n', '    unlock: [first, why, fix, nothere]\n')
      .replace('      - { node: b, file: setup/outage.sh }', '      - { node: c, file: setup/outage.sh }')
      .replace('    stage: third\n', '    stage: thrid\n');
    expect(await errorsOf(yaml)).toEqual([
      'lab.yaml:20 stage 1 (outage) setup[0].node: "c" is not a node of the topology (nodes: a, b)',
      'lab.yaml:18 stage 1 (outage) unlock[1]: "why" is not a task of this lab (a stage is unlocked by passing tasks; tasks: first, fix, last)',
      'lab.yaml:18 stage 1 (outage) unlock[2]: task "fix" is in stage 1 (outage): a stage is unlocked by tasks of no stage or of a stage listed before it',
      'lab.yaml:18 stage 1 (outage) unlock[3]: "nothere" is not a task of this lab (a stage is unlocked by passing tasks; tasks: first, fix, last)',
      'lab.yaml:21 stage 2 (third) id: stage "third" has no questions (give its questions "stage: third")',
      'lab.yaml:48 question 4 (last) stage: "thrid" is not a stage of this lab (stages: outage, third)',
    ]);
  });

  it('refuses a duplicate stage id, an after: into a later stage, and a schema error in a stage, at their lines', async () => {
    const dup = STAGED.replace('  - id: third\n    unlock: [fix]\n', '  - id: outage\n    unlock: [fix]\n').replace('    stage: third\n', '    stage: outage\n');
    expect(await errorsOf(dup)).toEqual(['lab.yaml:21 stage 2 (outage) id: stage id "outage" is used twice (first by stage 1)']);
    const after = await errorsOf(STAGED.replace('    after: [first]\n', '    after: [first, last]\n'));
    expect(after).toEqual(['lab.yaml:36 question 2 (fix) after[1]: task "last" is in stage 2 (third), which opens after this task\'s stage 1 (outage)']);
    const schema = await errorsOf(STAGED.replace('    unlock: [fix]\n', '    unlock: []\n'));
    expect(schema).toEqual([expect.stringMatching(/^lab\.yaml:22 stage 2 \(third\) unlock: /)]);
  });

  it('plans the cumulative run: each stage setup right after its unlocking solution, before its tasks', async () => {
    const lab = await load(STAGED);
    expect(planCumulative(lab)).toEqual([
      { kind: 'solve', taskId: 'first' },
      { kind: 'stage', stageId: 'outage' },
      { kind: 'solve', taskId: 'fix' },
      { kind: 'stage', stageId: 'third' },
      { kind: 'solve', taskId: 'last' },
    ]);
  });

  it('plans a task alone: the unlocking chain and stage setups first, then its after:, nothing twice', async () => {
    const lab = await load(STAGED);
    expect(planPrerequisites(lab, 'last', [])).toEqual([
      { kind: 'solve', taskId: 'first' },
      { kind: 'stage', stageId: 'outage' },
      { kind: 'solve', taskId: 'fix' },
      { kind: 'stage', stageId: 'third' },
    ]);
    expect(planPrerequisites(lab, 'fix', ['first'])).toEqual([
      { kind: 'solve', taskId: 'first' },
      { kind: 'stage', stageId: 'outage' },
    ]);
    expect(planPrerequisites(lab, 'first', [])).toEqual([]);
  });

  it("plans a spoof fixture that builds on its own task's solution: that solution runs too", async () => {
    const lab = await load(STAGED);
    expect(planPrerequisites(lab, 'first', ['first'])).toEqual([{ kind: 'solve', taskId: 'first' }]);
    expect(planPrerequisites(lab, 'fix', ['first', 'fix'])).toEqual([
      { kind: 'solve', taskId: 'first' },
      { kind: 'stage', stageId: 'outage' },
      { kind: 'solve', taskId: 'fix' },
    ]);
  });
});

describe('translated finish text', () => {
  it('reads <finish>.<lang>.md beside the finish text and falls back to the original', async () => {
    const lab = await load(STAGED, { 'finish.ko.md': '잘 했습니다.\n' });
    expect(lab.translations?.ko?.finish).toBe('잘 했습니다.\n');
    expect(localizeFinish(lab, 'ko-KR')).toBe('잘 했습니다.\n');
    expect(localizeFinish(lab, 'en')).toBe('Well done.\n');
  });
});

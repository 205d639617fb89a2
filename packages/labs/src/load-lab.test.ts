// The loader on real folders: the reference lab loads whole; broken labs come back as errors that
// name the file, the line and the field, and never as a throw or a half-loaded lab.
import { mkdtemp, mkdir, rm, writeFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadLab } from './load-lab';
import { localizeLab, localizeQuestion } from './localize';
import { validateLabs, formatLabIssue } from './validate-lab';
import type { LabIssue } from './lab.types';

const referenceLab = fileURLToPath(new URL('../../../labs/01-switching-routing', import.meta.url));
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A minimal valid lab; `patch` rewrites lab.yaml text, `files` adds or replaces files. */
const LAB_YAML = `title: Tiny
summary: One node, one task.
difficulty: easy
timeLimitMinutes: 10
variables:
  gateway: 192.168.1.1
topology:
  nodes:
    - { name: a }
  segments:
    - { name: lan1 }
  links:
    - { node: a, segment: lan1, address: 192.168.1.5/24 }
setup:
  a: setup/a.sh
questions:
  - id: pick
    kind: choice
    prompt: questions/pick.md
    options:
      - { id: x, text: "yes", correct: true }
      - { id: y, text: "no" }
    explanation: Because.
  - id: gw
    kind: answer
    prompt: questions/gw.md
    expected: { value: "{{ gateway }}" }
    normalize: [ip]
    explanation: It is {{ gateway }}.
  - id: route
    kind: task
    prompt: questions/route.md
    check: { node: a, file: checks/route.sh }
    solve:
      - { node: a, run: "ip route replace default via $gateway" }
    explanation: ip route add default via {{ gateway }}.
`;

async function makeLab(yaml = LAB_YAML, files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'praxis-lab-'));
  dirs.push(dir);
  const all: Record<string, string> = {
    'lab.yaml': yaml,
    'intro.md': '# Tiny\n\nThe gateway is {{ gateway }}.\n',
    'questions/pick.md': 'Pick one.\n',
    'questions/gw.md': 'What is the gateway?\n',
    'questions/route.md': 'Add a default route via {{ gateway }}.\n',
    'checks/route.sh': 'ip route | grep -q default || fail "no default route"\n',
    'setup/a.sh': 'echo ready\n',
    ...files,
  };
  for (const [rel, text] of Object.entries(all)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  return dir;
}

async function errorsOf(dir: string): Promise<LabIssue[]> {
  const r = await loadLab(dir);
  if (r.ok) throw new Error('expected the lab to be invalid');
  return r.errors;
}

describe('loadLab', () => {
  it('loads the reference lab with every file read and every variable templated', async () => {
    const r = await loadLab(referenceLab);
    if (!r.ok) throw new Error(r.errors.map((e) => formatLabIssue(referenceLab, e)).join('\n'));
    const lab = r.lab;
    expect(lab.id).toBe('01-switching-routing');
    expect(lab.questions.length).toBeGreaterThanOrEqual(6);
    expect(new Set(lab.questions.map((q) => q.kind))).toEqual(new Set(['choice', 'answer', 'task']));
    expect(lab.intro).toContain('192.168.1.6/24');
    expect(lab.intro).not.toContain('{{');
    const b = lab.topology.nodes.find((n) => n.name === 'b')!;
    expect(b.setup).toContain('#net.ipv4.ip_forward=1');
    const persist = lab.questions.find((q) => q.id === 'persist-forwarding');
    expect(persist?.kind === 'task' && persist.check.text).toContain('nodefile /etc/sysctl.conf');
    expect(lab.maxPoints).toBe(lab.questions.reduce((s, q) => s + q.points, 0));
  });

  it('refuses a public address on a link with its file and line', async () => {
    const dir = await makeLab(LAB_YAML.replace('address: 192.168.1.5/24', 'address: 8.8.8.20/24'));
    const errors = await errorsOf(dir);
    expect(errors.map((e) => formatLabIssue(dir, e, dir))).toEqual([
      expect.stringMatching(/^lab\.yaml:13 topology\.links\[0\]\.address: 8\.8\.8\.20 is a public address/),
    ]);
  });

  it('copies lab files into the nodes they name, and reads a finish text', async () => {
    const yaml = LAB_YAML.replace(
      'questions:\n',
      'files:\n  - { source: assets/app.conf, node: a, target: /etc/app/ }\n  - { source: assets/run.sh, nodes: [a], target: /usr/local/bin/run, mode: "0755" }\nfinish: finish.md\nquestions:\n',
    );
    const dir = await makeLab(yaml, { 'assets/app.conf': 'port=1\n', 'assets/run.sh': '#!/bin/sh\necho run\n', 'finish.md': 'Well done: {{ gateway }}.\n' });
    const r = await loadLab(dir);
    if (!r.ok) throw new Error(r.errors.map((e) => formatLabIssue(dir, e)).join('\n'));
    expect(r.lab.topology.nodes[0]!.files).toEqual([
      { path: '/etc/app/app.conf', content: 'port=1\n', mode: '0644' },
      { path: '/usr/local/bin/run', content: '#!/bin/sh\necho run\n', mode: '0755' },
    ]);
    expect(r.lab.finish).toBe('Well done: 192.168.1.1.\n');

    const bad = await makeLab(yaml.replace('node: a, target: /etc/app/', 'node: z, target: etc/app').replace('"0755"', '"0999"'), { 'assets/run.sh': 'x\n', 'finish.md': 'x\n' });
    const errors = await errorsOf(bad);
    expect(errors.map((e) => e.path).sort()).toEqual(['files[0].target', 'files[1].mode']);
    const missing = await errorsOf(await makeLab(yaml.replace('node: a, target: /etc/app/', 'node: z, target: /etc/app/'), { 'finish.md': 'x\n' }));
    expect(missing.map((e) => `${e.path}: ${e.message}`)).toEqual(expect.arrayContaining(['files[0].node: "z" is not a node of the topology (nodes: a)', 'files[0].source: cannot use "assets/app.conf": no such file']));
  });

  it('adds the lab-wide packages to every node, and names the lab file, line and field of a bad package name', async () => {
    const yaml = LAB_YAML.replace('topology:\n  nodes:\n    - { name: a }\n', 'packages: [tree, jq]\ntopology:\n  nodes:\n    - { name: a, packages: [python3, tree] }\n    - { name: b }\n');
    const r = await loadLab(await makeLab(yaml));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.lab.topology.nodes.map((n) => [n.name, n.packages])).toEqual([
      ['a', ['jq', 'python3', 'tree']],
      ['b', ['jq', 'tree']],
    ]);
    const dir = await makeLab(yaml.replace('packages: [tree, jq]', 'packages: [tree, "nginx=1.22"]').replace('packages: [python3, tree]', 'packages: [Python3]'));
    expect((await errorsOf(dir)).map((e) => formatLabIssue(dir, e, dir))).toEqual([
      expect.stringMatching(/^lab\.yaml:10 topology\.nodes\[0\]\.packages\[0\]: is not a Debian package name: .* \(got "Python3"\)$/),
      expect.stringMatching(/^lab\.yaml:7 packages\[1\]: is not a Debian package name: lower-case letters, digits, "\+", "-" and "\."/),
    ]);
  });

  it('loads answer patterns with variables and refuses one that is not a regular expression, at its line', async () => {
    const ok = await makeLab(LAB_YAML.replace('    normalize: [ip]\n', '    normalize: [ip]\n    patterns: ["{{ gateway }}|192\\\\.168\\\\.1\\\\.25[0-4]"]\n'));
    const r = await loadLab(ok);
    if (!r.ok) throw new Error(r.errors.map((e) => formatLabIssue(ok, e)).join('\n'));
    expect(r.lab.questions[1]!.kind === 'answer' && r.lab.questions[1]!.patterns).toEqual(['192.168.1.1|192\\.168\\.1\\.25[0-4]']);
    const bad = await errorsOf(await makeLab(LAB_YAML.replace('    normalize: [ip]\n', '    normalize: [ip]\n    patterns: ["10\\\\.0\\\\.(0"]\n')));
    expect(bad.map((e) => `${e.line} ${e.path}: ${e.message}`)).toEqual(['29 question 2 (gw) patterns[0]: is not a regular expression: /^(?:10\\.0\\.(0)$/u: Unterminated group']);
  });

  it('refuses an after: that names no task or the task itself', async () => {
    const errors = await errorsOf(await makeLab(LAB_YAML.replace('    check: { node: a, file: checks/route.sh }\n', '    after: [gw, route]\n    check: { node: a, file: checks/route.sh }\n')));
    expect(errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      'question 3 (route) after[0]: "gw" is not a task of this lab (tasks: route)',
      'question 3 (route) after[1]: a task cannot come after itself',
    ]);
  });

  it('templates variables into prompts and applies per-attempt overrides', async () => {
    const dir = await makeLab();
    const r = await loadLab(dir, { variables: { gateway: '192.168.1.254' } });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const gw = r.lab.questions[1]!;
    expect(gw.kind === 'answer' && gw.reference).toBe('192.168.1.254');
    expect(r.lab.questions[2]!.prompt).toBe('Add a default route via 192.168.1.254.\n');
    expect(r.lab.topology.nodes[0]!.setupEnv).toMatchObject({ gateway: '192.168.1.254' });
    expect(r.lab.topology.nodes[0]!.setup).toBe('echo ready\n');
    expect(r.lab.topology.nodes[0]!.setupSource).toBe('setup/a.sh');
  });

  it('names file, line and field of a cross-reference error', async () => {
    const dir = await makeLab(LAB_YAML.replace('check: { node: a, file: checks/route.sh }', 'check: { node: d, file: checks/route.sh }'));
    const errors = await errorsOf(dir);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'LAB_REFERENCE', file: 'lab.yaml', line: 33, path: 'question 3 (route) check.node' });
    expect(errors[0]!.message).toContain('"d" is not a node');
  });

  it('names the line of a schema error and of a missing required field', async () => {
    const yaml = LAB_YAML.replace('difficulty: easy', 'difficulty: trivial').replace('    explanation: Because.\n', '');
    const errors = await errorsOf(await makeLab(yaml));
    const byPath = Object.fromEntries(errors.map((e) => [e.path, e]));
    expect(byPath['difficulty']).toMatchObject({ file: 'lab.yaml', line: 3, code: 'LAB_SCHEMA' });
    // A missing field is reported on its parent (the question at line 17).
    expect(byPath['question 1 (pick) explanation']).toMatchObject({ file: 'lab.yaml', line: 17 });
  });

  it('reports YAML syntax errors with their line', async () => {
    const errors = await errorsOf(await makeLab(LAB_YAML.replace('timeLimitMinutes: 10', 'timeLimitMinutes: [10')));
    expect(errors[0]).toMatchObject({ code: 'LAB_YAML_SYNTAX', file: 'lab.yaml' });
    expect(errors[0]!.line).toBeGreaterThanOrEqual(4);
  });

  it('reports one located syntax error for an unquoted awk -F": " and runs no schema on the broken document', async () => {
    // The title is missing too: a schema run on the half-parsed document would report it.
    const yaml = LAB_YAML.replace('title: Tiny\n', '').replace('run: "ip route replace default via $gateway"', `run: ip route | awk -F': ' '{print $1}'`);
    const dir = await makeLab(yaml);
    const errors = await errorsOf(dir);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'LAB_YAML_SYNTAX', line: 34 });
    expect(formatLabIssue(dir, errors[0]!, dir)).toMatch(/^lab\.yaml:34:\d+: .*quote the whole value/);
  });

  it('reports schema errors in plain words at their lines', async () => {
    const yaml = LAB_YAML.replace('title: Tiny\n', '').replace('timeLimitMinutes: 10', 'timeLimitMinutes: ten').replace('    explanation: Because.\n', '    explanation: Because.\n    hnit: Look.\n');
    const errors = await errorsOf(await makeLab(yaml));
    expect(errors.map((e) => `${e.line} ${e.path}: ${e.message}`)).toEqual([
      '1 title: is required',
      '3 timeLimitMinutes: must be a number (got "ten")',
      '23 question 1 (pick) hnit: unknown field (did you mean "hint"?)',
    ]);
  });

  it('reports an unknown {{ variable }} in a Markdown file with that file and line', async () => {
    const errors = await errorsOf(await makeLab(LAB_YAML, { 'questions/route.md': 'Add a route.\n\nVia {{ gatway }}.\n' }));
    expect(errors).toEqual([
      expect.objectContaining({ code: 'LAB_VARIABLE_UNKNOWN', file: 'questions/route.md', line: 3, message: expect.stringContaining('{{ gatway }}') }),
    ]);
  });

  it('reports missing files, files escaping the folder, and topology errors at their fields', async () => {
    const dir = await makeLab(
      LAB_YAML.replace('prompt: questions/gw.md', 'prompt: questions/nope.md').replace('segment: lan1, address', 'segment: lan9, address'),
    );
    await rm(path.join(dir, 'checks/route.sh'));
    await symlink('/etc/passwd', path.join(dir, 'checks/route.sh'));
    const errors = await errorsOf(dir);
    const paths = errors.map((e) => `${e.file}:${e.line} ${e.path}`);
    expect(paths).toContain('lab.yaml:26 question 2 (gw) prompt');
    expect(paths).toContain('lab.yaml:33 question 3 (route) check.file');
    expect(paths).toContain('lab.yaml:13 topology.links[0].segment');
    expect(errors.find((e) => e.path === 'question 3 (route) check.file')!.message).toContain('outside the lab folder');
  });

  it('checks choice answers and computed-answer references', async () => {
    const yaml = LAB_YAML.replace('{ id: y, text: "no" }', '{ id: y, text: "no", correct: true }').replace(
      'expected: { value: "{{ gateway }}" }',
      'expected: { script: { node: a, run: "ip route" } }',
    );
    const errors = await errorsOf(await makeLab(yaml));
    expect(errors.map((e) => e.path).sort()).toEqual(['question 1 (pick) options', 'question 2 (gw) reference']);
  });

  it("attaches the lab's shared library to checks and computed answers, never to solves", async () => {
    const yaml = LAB_YAML.replace('setup:\n', 'lib: checks/lib.sh\nsetup:\n').replace(
      'expected: { value: "{{ gateway }}" }',
      'expected: { script: { node: a, run: "default_gateway" } }\n    reference: "{{ gateway }}"',
    );
    const r = await loadLab(await makeLab(yaml, { 'checks/lib.sh': 'default_gateway() { ip route | awk \'/^default/ {print $3}\'; }\n' }));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const gw = r.lab.questions[1]!;
    const route = r.lab.questions[2]!;
    expect(r.lab.lib).toContain('default_gateway()');
    expect(gw.kind === 'answer' && gw.expected.kind === 'script' && gw.expected.script.lib).toContain('default_gateway()');
    expect(route.kind === 'task' && route.check.lib).toContain('default_gateway()');
    expect(route.kind === 'task' && route.solve.every((s) => s.lib === undefined)).toBe(true);
  });

  it('reports a missing or empty library at its field', async () => {
    const yaml = LAB_YAML.replace('setup:\n', 'lib: checks/lib.sh\nsetup:\n');
    const errors = await errorsOf(await makeLab(yaml));
    expect(errors).toEqual([expect.objectContaining({ code: 'LAB_FILE_MISSING', line: 14, path: 'lib', message: 'cannot use "checks/lib.sh": no such file' })]);
    const empty = await errorsOf(await makeLab(yaml, { 'checks/lib.sh': '\n' }));
    expect(empty).toEqual([expect.objectContaining({ code: 'LAB_FILE_EMPTY', file: 'checks/lib.sh' })]);
  });

  it('loads spoof fixtures: steps as node scripts, the symptom as a grader script, fails defaulting to the task', async () => {
    const yaml = LAB_YAML.replace('setup:\n', 'lib: checks/lib.sh\nsetup:\n').replace(
      '    explanation: ip route add default via {{ gateway }}.\n',
      `    explanation: ip route add default via {{ gateway }}.
    spoofs:
      - id: unused-table
        class: dead-rule
        summary: the default route sits in a table no rule consults
        steps:
          - { node: a, run: "ip route add default via $gateway table 100" }
        symptom: { node: a, run: "ip route show table 100 | grep -q default" }
      - id: after-then-break
        class: other
        summary: solve it, then delete the route again
        after: [route]
        steps:
          - { node: a, file: spoofs/break.sh }
        fails: [route]
`,
    );
    const r = await loadLab(await makeLab(yaml, { 'checks/lib.sh': 'x() { :; }\n', 'spoofs/break.sh': 'ip route del default\n' }));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const route = r.lab.questions[2]!;
    if (route.kind !== 'task') throw new Error('not a task');
    expect(route.spoofs.map((s) => [s.id, s.class, s.after, s.fails])).toEqual([
      ['unused-table', 'dead-rule', [], ['route']],
      ['after-then-break', 'other', ['route'], ['route']],
    ]);
    expect(route.spoofs[0]!.steps[0]!).toMatchObject({ nodes: ['a'], text: 'ip route add default via $gateway table 100' });
    expect(route.spoofs[0]!.steps[0]!.lib).toBeUndefined();
    expect(route.spoofs[0]!.symptom?.lib).toContain('x()');
    expect(route.spoofs[1]!.steps[0]!).toMatchObject({ source: 'spoofs/break.sh', text: 'ip route del default\n' });
  });

  it('reports spoofs naming unknown tasks or nodes, duplicate ids, unknown classes and missing files', async () => {
    const yaml = LAB_YAML.replace(
      '    explanation: ip route add default via {{ gateway }}.\n',
      `    explanation: ip route add default via {{ gateway }}.
    spoofs:
      - id: one
        class: dead-rule
        summary: s
        after: [pick]
        steps:
          - { node: z, run: "true" }
        fails: [nope]
      - id: one
        class: sneaky
        summary: s
        steps:
          - { node: a, file: spoofs/missing.sh }
`,
    );
    const errors = await errorsOf(await makeLab(yaml));
    expect(errors.map((e) => e.path).sort()).toEqual(['question 3 (route) spoofs[1].class']);
    const fixed = await errorsOf(await makeLab(yaml.replace('class: sneaky', 'class: cable')));
    const found = fixed.map((e) => `${e.path}: ${e.message}`).sort();
    expect(found).toEqual([
      'question 3 (route) spoofs[0].after[0]: "pick" is not a task of this lab (tasks: route)',
      'question 3 (route) spoofs[0].fails[0]: "nope" is not a task of this lab (tasks: route)',
      'question 3 (route) spoofs[0].steps[0].node: "z" is not a node of the topology (nodes: a)',
      'question 3 (route) spoofs[1].id: spoof id "one" is used twice in this task',
      'question 3 (route) spoofs[1].steps[0].file: cannot use "spoofs/missing.sh": no such file',
    ]);
  });

  it('loads translations beside the originals and shows them per language, falling back to the original', async () => {
    const yaml = `${LAB_YAML}translations:
  ko:
    title: 작은 실습
    questions:
      pick:
        options: { x: "예" }
        explanation: 그렇기 때문입니다.
      gw:
        explanation: "{{ gateway }} 입니다."
`;
    const r = await loadLab(await makeLab(yaml, { 'intro.ko.md': '# 작은 실습\n\n게이트웨이는 {{ gateway }} 입니다.\n', 'questions/route.ko.md': '{{ gateway }}를 거치는 기본 경로를 추가하세요.\n' }));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.lab.translations).toEqual({ ko: { title: '작은 실습', intro: '# 작은 실습\n\n게이트웨이는 192.168.1.1 입니다.\n' } });
    expect(localizeLab(r.lab, 'ko-KR')).toMatchObject({ title: '작은 실습', summary: 'One node, one task.' });
    expect(localizeLab(r.lab, 'en').title).toBe('Tiny');
    const [pick, gw, route] = r.lab.questions.map((q) => localizeQuestion(q, 'ko'));
    expect(pick!.kind === 'choice' && pick!.options.map((o) => o.text)).toEqual(['예', 'no']);
    expect(pick!.prompt).toBe('Pick one.\n');
    expect(gw!.explanation).toBe('192.168.1.1 입니다.');
    expect(route!.prompt).toBe('192.168.1.1를 거치는 기본 경로를 추가하세요.\n');
    expect(localizeQuestion(r.lab.questions[2]!, 'ja').prompt).toBe('Add a default route via 192.168.1.1.\n');
  });

  it('refuses a translation naming a question, option, hint or prompt file that does not exist', async () => {
    const yaml = `${LAB_YAML}translations:
  ko:
    questions:
      pick:
        options: { z: "없음" }
      gw:
        options: { x: "예" }
        hint: 힌트
      nothere:
        explanation: 없음
`;
    const errors = await errorsOf(await makeLab(yaml, { 'questions/typo.ko.md': '오타\n', 'intro.ko.md': '{{ gatway }}\n' }));
    const lines = errors.map((e) => `${e.file}:${e.line} ${e.path}: ${e.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'lab.yaml:41 translations.ko.questions.pick.options.z: "z" is not an option of question "pick" (options: x, y)',
        'lab.yaml:43 translations.ko.questions.gw.options: question "gw" is an answer question and has no options',
        'lab.yaml:44 translations.ko.questions.gw.hint: question "gw" has no hint to translate',
        'lab.yaml:45 translations.ko.questions.nothere: "nothere" is not a question of this lab (questions: pick, gw, route)',
        'questions/typo.ko.md:1 : translates "questions/typo.md", which is neither the intro (intro.md) nor the prompt of a question (prompts: questions/pick.md, questions/gw.md, questions/route.md)',
        'intro.ko.md:1 : {{ gatway }} is not a lab variable (variables: gateway)',
      ]),
    );
    expect(errors).toHaveLength(6);
  });

  it('never throws and never half-loads: a missing folder is an error result', async () => {
    const r = await loadLab('/nonexistent/praxis-lab');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0]).toMatchObject({ code: 'LAB_FILE_MISSING', file: 'lab.yaml', line: 1 });
  });
});

/** The course labs that carry Korean texts; the test below holds each of them to all of it. */
const KOREAN_LABS = ['01-switching-routing', '02-dns', '03-network-namespaces', '04-docker-networking', '05-cni', '06-explore-cluster', '07-pod-networking', '08-cni-kubernetes', '09-deploy-network-solution', '10-ipam-weave', '11-service-networking', '12-dns-kubernetes', '13-coredns', '14-ingress-1', '15-ingress-2', '16-gateway-api', '90-mock-exam'];

/**
 * The `**` runs of a markdown text that CommonMark would not take as bold, so the learner sees the stars.
 * An opening run must not sit between a letter and punctuation, a closing one between punctuation and a
 * letter: `**`/api`**에` (a Korean particle after a backtick) shows its stars; `**`/api`에**` does not.
 */
function findStrayBold(text: string): string[] {
  const punct = /[\p{P}\p{S}]/u;
  const letter = /[\p{L}\p{N}]/u;
  const runs = [...text.matchAll(/\*\*/g)];
  return runs.flatMap((m, i) => {
    const before = text[m.index - 1] ?? ' ';
    const after = text[m.index + 2] ?? ' ';
    const [inside, outside] = i % 2 === 0 ? [after, before] : [before, after];
    return punct.test(inside) && letter.test(outside) ? [text.slice(Math.max(0, m.index - 12), m.index + 14)] : [];
  });
}

describe('the course labs', () => {
  it('validate, and the translated labs are in Korean: title, summary, intro, every prompt, and every option written in words, with no bold that shows its stars', async () => {
    const results = await validateLabs(fileURLToPath(new URL('../../../labs', import.meta.url)));
    expect(results.filter((r) => !r.ok).map((r) => r.errors)).toEqual([]);
    for (const id of KOREAN_LABS) {
      const lab = results.find((r) => r.lab?.id === id)!.lab!;
      expect(lab.translations?.ko?.title, id).toBeDefined(); // "DNS" stays DNS
      expect(lab.translations?.ko?.intro, id).toMatch(/[가-힣]/);
      expect(lab.translations?.ko?.summary, `${id} summary`).toMatch(/[가-힣]/);
      for (const q of lab.questions) {
        expect(q.translations?.ko?.prompt, `${id}/${q.id}`).toMatch(/[가-힣]/);
        expect(q.translations?.ko?.explanation, `${id}/${q.id}`).toMatch(/[가-힣]/);
        if (q.hint) expect(q.translations?.ko?.hint, `${id}/${q.id} hint`).toMatch(/[가-힣]/);
        // Options that are a command or a name (`ip link`, CNAME) stay as typed; sentences are translated.
        if (q.kind === 'choice') for (const o of q.options) if (!/^`[^`]+`$/.test(o.text) && /\s/.test(o.text)) expect(q.translations?.ko?.options?.[o.id], `${id}/${q.id}/${o.id}`).toMatch(/[가-힣]/);
        const ko = q.translations?.ko;
        for (const text of [ko?.prompt, ko?.hint, ko?.explanation, ...Object.values(ko?.options ?? {})]) expect(findStrayBold(text ?? ''), `${id}/${q.id} bold`).toEqual([]);
      }
      expect(findStrayBold(lab.translations?.ko?.intro ?? ''), `${id} intro bold`).toEqual([]);
    }
  });
});

describe('validateLabs', () => {
  it('validates every lab folder under a parent folder', async () => {
    const good = await makeLab();
    const parent = path.dirname(good);
    const results = await validateLabs(good);
    expect(results).toHaveLength(1);
    expect(results[0]!.ok).toBe(true);
    expect(formatLabIssue(parent, { code: 'X', file: 'lab.yaml', line: 3, path: 'a.b', message: 'm' }, parent)).toBe('lab.yaml:3 a.b: m');
  });
});

// `praxis import instruqt <dir>`: an Instruqt track (track.yml, config.yml, one folder per
// challenge with assignment.md and setup-/check-/solve-/cleanup-<host> scripts, track_scripts/)
// into a Praxis lab folder. Challenges become task questions (quizzes become choice questions),
// check scripts become checks adapted for the grader (`fail-message` prints the learner's reason),
// setup scripts become setup (a later challenge's, the setup of a stage the previous task unlocks),
// solve scripts become solutions. Cloud accounts, web and editor tabs,
// cleanup scripts and whatever else has no Praxis equivalent are listed in the report.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { adaptCheckScript, wrapImportedCheck } from './adapt-check';
import { ImportError, type ImportNote, type ImportResult } from './import.types';
import { mapSoftware, noteDaemons, noteImagePulls } from './map-packages';
import { planStages } from './plan-stages';
import { neutralizePlaceholders, nodeNameOf, slugify, writeLabDraft, type DraftChoice, type DraftScript, type DraftTask, type LabDraft } from './write-lab';

/** Instruqt's `fail-message` prints the reason the learner reads: here it is Praxis's `fail`. */
const FAIL_MESSAGE_HELPER = 'fail-message() { fail "$*"; }';

async function readYaml(file: string, what: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ImportError('IMPORT_SOURCE_INVALID', `${what} is missing (${file})`);
  }
  try {
    return (parse(text) ?? {}) as Record<string, unknown>;
  } catch (error) {
    throw new ImportError('IMPORT_SOURCE_INVALID', `${what} does not parse: ${(error as Error).message}`);
  }
}

/** `---\nfront matter\n---\nbody` of an assignment.md. */
function splitFrontMatter(text: string, source: string): { meta: Record<string, unknown>; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!m) return { meta: {}, body: text };
  try {
    return { meta: (parse(m[1]!) ?? {}) as Record<string, unknown>, body: m[2]! };
  } catch (error) {
    throw new ImportError('IMPORT_SOURCE_INVALID', `${source}: the front matter does not parse: ${(error as Error).message}`);
  }
}

const DIFFICULTY: Record<string, LabDraft['difficulty']> = { basic: 'easy', beginner: 'easy', intermediate: 'medium', advanced: 'hard', expert: 'hard' };

export async function importInstruqt(srcDir: string, outDir: string): Promise<ImportResult> {
  const dir = path.resolve(srcDir);
  const track = await readYaml(path.join(dir, 'track.yml'), `${dir} is not an Instruqt track: track.yml`);
  const config = await readYaml(path.join(dir, 'config.yml'), 'config.yml').catch(() => ({}) as Record<string, unknown>);
  const notes: ImportNote[] = [];

  const knownTrack = ['slug', 'id', 'type', 'title', 'teaser', 'description', 'icon', 'tags', 'owner', 'developers', 'timelimit', 'level', 'idle_timeout', 'checksum', 'maintenance', 'private', 'published', 'show_timer', 'skipping_enabled', 'lab_config', 'challenges'];
  const ignoredQuietly = new Set(['id', 'type', 'icon', 'owner', 'developers', 'checksum', 'maintenance', 'private', 'published', 'show_timer', 'idle_timeout', 'slug', 'level', 'tags', 'title', 'teaser', 'description', 'timelimit', 'challenges']);
  for (const k of Object.keys(track)) {
    if (!knownTrack.includes(k)) notes.push({ kind: 'unmapped', source: 'track.yml', message: `"${k}" is not mapped` });
    else if (!ignoredQuietly.has(k)) notes.push({ kind: 'unmapped', source: 'track.yml', message: `"${k}" (Instruqt platform settings) has no Praxis equivalent` });
  }

  // Hosts: virtual machines and containers become Debian nodes; those running Kubernetes (k3s,
  // kind, kubeadm images) become Praxis's kubeadm cluster under their own names, the first the
  // control plane; cloud accounts (and the managed clusters in them) are reported.
  const nodes: { name: string; hostname: string }[] = [];
  const kube: string[] = [];
  for (const key of ['virtualmachines', 'containers'] as const) {
    for (const host of (config[key] ?? []) as { name: string; image?: string }[]) {
      const name = nodeNameOf(String(host.name));
      nodes.push({ name, hostname: String(host.name).slice(0, 63) });
      if (/k3s|k8s|kubernetes|kubeadm|kind|gke|eks|aks/.test(String(host.image ?? ''))) {
        kube.push(name);
        notes.push({
          kind: 'mapped',
          source: 'config.yml',
          message: `${key} "${host.name}" runs Kubernetes (${host.image}): it became ${kube.length === 1 ? 'the control plane' : 'a worker'} "${name}" of a kubeadm cluster (topology.cluster, docs/kubernetes.md); checks on it run kubectl in the grader with the cluster's admin credentials`,
        });
        if (!/kubeadm/.test(String(host.image))) notes.push({ kind: 'review', source: 'config.yml', message: `"${host.name}" ran ${host.image}, not kubeadm: Praxis's cluster is kubeadm with its own network plugin (no k3s Traefik, local-path storage or service load balancer unless the lab turns them on); check what the track assumes` });
      } else {
        notes.push({ kind: 'mapped', source: 'config.yml', message: `${key} "${host.name}" (${host.image ?? 'no image'}) became the Debian node "${name}" with the usual tools` });
      }
      for (const k of Object.keys(host)) {
        if (!['name', 'image', 'shell', 'machine_type', 'memory', 'cpus'].includes(k)) notes.push({ kind: 'unmapped', source: 'config.yml', message: `${key} "${host.name}": "${k}" is not mapped` });
      }
    }
  }
  for (const k of Object.keys(config)) {
    if (!['version', 'virtualmachines', 'containers'].includes(k)) {
      // A managed cluster (GKE, EKS, AKS) lives in a cloud account: nothing Praxis can run.
      const managed = /container\.googleapis|gke|eks|aks|kubernetes/i.test(JSON.stringify(config[k] ?? ''));
      notes.push({
        kind: 'unmapped',
        source: 'config.yml',
        message: `"${k}" (${/aws|gcp|azure/.test(k) ? 'a cloud account' : 'not a host'}) has no Praxis equivalent: lab nodes have no route off the host${managed ? '; the cloud-managed Kubernetes cluster in it (GKE/EKS/AKS) cannot be mapped: a Praxis cluster is kubeadm on lab nodes (topology.cluster)' : ''}`,
      });
    }
  }
  const cluster = kube.length ? { controlPlane: kube[0]!, workers: kube.slice(1, 9) } : undefined;
  if (!nodes.length) {
    nodes.push({ name: 'host', hostname: 'host' });
    notes.push({ kind: 'review', source: 'config.yml', message: 'no virtual machine or container: one Debian node "host" was made' });
  }
  const nodeOf = (host: string) => nodes.find((n) => n.name === nodeNameOf(host))?.name;
  // Debian packages per node: what its scripts install with apt or run that the node image lacks.
  const packages: Record<string, Set<string>> = {};
  const software = (text: string, rel: string, node: string, rewrite: boolean) => {
    if (cluster && rewrite) noteImagePulls(text, rel, notes);
    const mapped = mapSoftware(text, rel, node, notes, { rewrite });
    for (const p of mapped.packages) (packages[node] ??= new Set()).add(p);
    return mapped.text;
  };

  // Track scripts run once, at the start: setup. Challenge 1's setup scripts run then too; a later
  // challenge's become the setup of a stage the previous task's passing Check unlocks, as Instruqt
  // runs them when that challenge starts (after the previous challenge's check passed).
  const setup: Record<string, string[]> = {};
  const plan = planStages('challenge');
  const addSetup = (host: string, rel: string, text: string, label: string, n: number, title = '') => {
    const node = nodeOf(host);
    if (!node) return void notes.push({ kind: 'unmapped', source: rel, message: `host "${host}" is not in config.yml: not mapped` });
    const body = `# --- from ${rel} (${label})\n${software(text, rel, node, true).replace(/^#!.*\n/, '').trimEnd()}\n`;
    const staged = n > 1 ? plan.addSetup(node, body, n, title) : undefined;
    if (staged) {
      return void notes.push({
        kind: 'mapped',
        source: rel,
        message: `became the setup of stage "${staged.stage.id}", run on "${node}" when task "${staged.unlockedBy}" passes a Check (Instruqt ran it when ${label} started); the questions of challenge ${n} and the later ones belong to that stage`,
      });
    }
    (setup[node] ??= []).push(body);
    notes.push(
      n > 1
        ? { kind: 'review', source: rel, message: `ran when ${label} started, but no earlier challenge has a check script to unlock a stage: it now runs at the start; check it does not give away or break an earlier challenge` }
        : { kind: 'mapped', source: rel, message: `became setup of node "${node}"` },
    );
  };
  const scriptsIn = async (folder: string) =>
    (await readdir(path.join(dir, folder), { withFileTypes: true }).catch(() => [])).filter((e) => e.isFile()).map((e) => e.name).sort();
  for (const f of await scriptsIn('track_scripts')) {
    const m = /^(setup|cleanup)-(.+)$/.exec(f);
    const rel = `track_scripts/${f}`;
    if (m?.[1] === 'setup') addSetup(m[2]!, rel, await readFile(path.join(dir, rel), 'utf8'), 'the track', 0);
    else notes.push({ kind: 'unmapped', source: rel, message: m ? 'cleanup script: Praxis destroys the machines instead' : 'not a setup or cleanup script: not mapped' });
  }

  const folders = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && e.name !== 'track_scripts' && !e.name.startsWith('.')).map((e) => e.name).sort();
  const taken = new Set<string>();
  const questions: (DraftTask | DraftChoice)[] = [];
  const extraIntro: string[] = [];
  let n = 0;
  for (const folder of folders) {
    const assignmentRel = `${folder}/assignment.md`;
    const assignment = await readFile(path.join(dir, assignmentRel), 'utf8').catch(() => undefined);
    if (assignment === undefined) {
      notes.push({ kind: 'unmapped', source: `${folder}/`, message: 'a folder without assignment.md: not a challenge, not mapped' });
      continue;
    }
    n++;
    const { meta, body } = splitFrontMatter(assignment, assignmentRel);
    const title = String(meta.title ?? folder);
    const id = slugify(String(meta.slug ?? title), taken, `challenge-${n}`);
    const label = `challenge ${n} ("${title}")`;
    for (const tab of (meta.tabs ?? []) as { title?: string; type?: string }[]) {
      if (tab.type !== 'terminal') notes.push({ kind: 'unmapped', source: assignmentRel, message: `tab "${tab.title ?? ''}" of type ${tab.type} (web, editor or service tabs): Praxis shows terminals only` });
    }
    if (Array.isArray(meta.notes) && meta.notes.length) notes.push({ kind: 'unmapped', source: assignmentRel, message: `${meta.notes.length} note(s) shown while the challenge loads: not mapped (move what matters into the prompt)` });
    if (meta.timelimit) notes.push({ kind: 'review', source: assignmentRel, message: `its own time limit (${meta.timelimit} s) is not kept: the lab has one limit` });
    const prompt = neutralizePlaceholders(`## ${title}\n\n${body.trim()}\n`, assignmentRel, notes);

    const files = await scriptsIn(folder);
    const byKind = (kind: string) => files.filter((f) => f.startsWith(`${kind}-`)).map((f) => ({ host: f.slice(kind.length + 1), rel: `${folder}/${f}` }));
    for (const f of files) {
      if (f !== 'assignment.md' && !/^(setup|check|solve|cleanup)-/.test(f)) notes.push({ kind: 'unmapped', source: `${folder}/${f}`, message: 'not an Instruqt lifecycle script: not mapped' });
    }
    for (const s of byKind('setup')) addSetup(s.host, s.rel, await readFile(path.join(dir, s.rel), 'utf8'), label, n, title);
    for (const s of byKind('cleanup')) notes.push({ kind: 'unmapped', source: s.rel, message: 'cleanup script: Praxis destroys the machines instead' });

    if (meta.type === 'quiz') {
      const answers = (meta.answers ?? []) as string[];
      const solution = new Set(((meta.solution ?? []) as number[]).map(Number));
      if (answers.length < 2 || answers.length > 10 || solution.size === 0) {
        notes.push({ kind: 'unmapped', source: assignmentRel, message: 'a quiz needs 2-10 answers and a solution: not mapped' });
        continue;
      }
      questions.push({
        kind: 'choice',
        id,
        prompt,
        multiple: solution.size > 1,
        options: answers.map((text, i) => ({ text: String(text), correct: solution.has(i) })),
        explanation: `The answer: ${[...solution].map((i) => answers[i]).join(', ')}.`,
      });
      const stage = plan.assign(id, false);
      if (stage) questions[questions.length - 1]!.stage = stage;
      notes.push({ kind: 'mapped', source: assignmentRel, message: `quiz became the choice question "${id}"` });
      continue;
    }
    const checks = byKind('check');
    if (!checks.length) {
      extraIntro.push(prompt);
      notes.push({ kind: 'review', source: assignmentRel, message: `${label} has no check script, so it is no task: its text was added to the intro` });
      continue;
    }
    if (checks.length > 1) notes.push({ kind: 'review', source: checks[1]!.rel, message: `${label} checks several hosts: only ${checks[0]!.rel} became the check (add the others to the check by hand)` });
    const check = checks[0]!;
    const node = nodeOf(check.host);
    if (!node) {
      notes.push({ kind: 'unmapped', source: check.rel, message: `host "${check.host}" is not in config.yml: not mapped` });
      continue;
    }
    const checkText = await readFile(path.join(dir, check.rel), 'utf8');
    software(checkText, check.rel, node, false);
    const adapted = adaptCheckScript(checkText, check.rel, { cluster: Boolean(cluster && (node === cluster.controlPlane || cluster.workers.includes(node))) });
    notes.push({ kind: 'adapted', source: check.rel, message: `became the check of task "${id}" (fail-message prints the learner's reason)` }, ...adapted.notes);
    const solve: DraftScript[] = [];
    for (const s of byKind('solve')) {
      const sn = nodeOf(s.host);
      if (!sn) notes.push({ kind: 'unmapped', source: s.rel, message: `host "${s.host}" is not in config.yml: not mapped` });
      else {
        solve.push({ node: sn, text: software(await readFile(path.join(dir, s.rel), 'utf8'), s.rel, sn, true) });
        notes.push({ kind: 'mapped', source: s.rel, message: `became the solution of task "${id}" on "${sn}"` });
      }
    }
    if (!solve.length) notes.push({ kind: 'review', source: assignmentRel, message: `task "${id}" has no solve script: \`praxis lab test\` cannot prove its check` });
    questions.push({
      kind: 'task',
      id,
      prompt,
      check: { node, text: wrapImportedCheck(adapted.text, `${title}: not done yet.`, FAIL_MESSAGE_HELPER) },
      solve,
      explanation: String(meta.teaser ?? `See the solution of ${title}.`),
    });
    const stage = plan.assign(id, true);
    if (stage) questions[questions.length - 1]!.stage = stage;
  }
  // A stage no question followed (the later challenges had no check or quiz): its setup runs at the start.
  const { stages, orphans } = plan.finish();
  for (const { stage, setup: scripts } of orphans) {
    for (const s of scripts) (setup[s.node] ??= []).push(s.text.replace(/^#!.*\n/, ''));
    notes.push({ kind: 'review', source: 'track.yml', message: `stage "${stage.id}" would have no question (no later challenge has a check script or a quiz): its setup now runs at the start; check it does not give away or break an earlier challenge` });
  }
  if (!questions.length) throw new ImportError('IMPORT_SOURCE_INVALID', `${dir}: no challenge has a check script or a quiz, so there is nothing to grade`);

  const title = String(track.title ?? path.basename(dir)).slice(0, 120);
  const labId = slugify(path.basename(path.resolve(outDir)), new Set(), 'imported');
  const limit = Number(track.timelimit);
  const draft: LabDraft = {
    id: labId,
    title,
    summary: String(track.teaser ?? track.description ?? title).replace(/\s+/g, ' ').trim().slice(0, 500),
    difficulty: DIFFICULTY[String(track.level ?? '')] ?? 'medium',
    timeLimitMinutes: Number.isFinite(limit) && limit > 0 ? Math.min(480, Math.max(1, Math.round(limit / 60))) : 30,
    tags: ['imported', 'instruqt', ...((track.tags ?? []) as string[]).map(String)].slice(0, 20),
    intro: [neutralizePlaceholders(`# ${title}\n\n${String(track.description ?? track.teaser ?? '').trim()}\n`, 'track.yml', notes).trim(), ...extraIntro].join('\n\n'),
    nodes,
    ...(cluster ? { cluster } : {}),
    packages: Object.fromEntries(Object.entries(packages).map(([node, set]) => [node, [...set].sort()])),
    setup: Object.fromEntries(Object.entries(setup).map(([node, parts]) => [node, `#!/bin/bash\n${parts.join('\n')}`])),
    files: [],
    questions,
    ...(stages.length ? { stages } : {}),
    origin: `the Instruqt track ${String(track.slug ?? path.basename(dir))}`,
  };
  for (const [node, set] of Object.entries(packages)) noteDaemons(set, node, 'config.yml', notes);
  await writeLabDraft(path.resolve(outDir), draft, notes);
  return { labDir: path.resolve(outDir), labId, notes };
}

// `praxis import killercoda <dir>`: a Killercoda scenario (index.json, step Markdown, background,
// foreground and verify scripts, assets) into a Praxis lab folder. Steps with a verify script
// become tasks (verify adapted for the grader, the step's `{{exec}}` commands as the solution);
// the intro's and step 1's background scripts become setup, a later step's background the setup
// of a stage the previous task unlocks; assets become lab files; the finish
// text stays a finish text. Everything else is listed in the report with its source file.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { adaptCheckScript, wrapImportedCheck } from './adapt-check';
import { ImportError, type ImportNote, type ImportResult } from './import.types';
import { mapSoftware, noteDaemons, noteImagePulls } from './map-packages';
import { planStages } from './plan-stages';
import { neutralizePlaceholders, nodeNameOf, slugify, writeLabDraft, type DraftTask, type LabDraft } from './write-lab';

interface KcStep {
  title?: string;
  text?: string;
  verify?: string;
  background?: string;
  foreground?: string;
  [key: string]: unknown;
}

interface KcAsset {
  file: string;
  target: string;
  chmod?: string;
}

/** Reads a file of the scenario, refusing paths that leave its folder. */
async function readSource(dir: string, rel: string): Promise<string> {
  const full = path.resolve(dir, rel);
  if (!full.startsWith(path.resolve(dir) + path.sep)) throw new ImportError('IMPORT_SOURCE_INVALID', `${rel} points outside the scenario folder`);
  return readFile(full, 'utf8').catch(() => {
    throw new ImportError('IMPORT_SOURCE_INVALID', `index.json names ${rel}, which does not exist in ${dir}`);
  });
}

/**
 * The commands a learner clicks to run (`cmd`{{exec}}, fenced blocks followed by {{exec}}): in
 * Killercoda they are what the learner would type, so they are the step's solution.
 */
export function extractExecCommands(markdown: string): string[] {
  const out: string[] = [];
  const re = /```[a-z]*\n([\s\S]*?)```\{\{exec(?:\s+[a-z]+)?\}\}|`([^`\n]+)`\{\{exec(?:\s+[a-z]+)?\}\}/g;
  for (const m of markdown.matchAll(re)) out.push((m[1] ?? m[2]!).trim());
  return out;
}

/** Killercoda's click annotations removed (`cmd`{{exec}} reads as `cmd`), its placeholders written out. */
function cleanMarkdown(markdown: string, source: string, notes: ImportNote[]): string {
  return neutralizePlaceholders(markdown.replace(/\{\{(exec|copy)(\s+[a-z]+)?\}\}/g, ''), source, notes);
}

const MODE: Record<string, string> = { '+x': '0755', '755': '0755', '0755': '0755', '644': '0644', '0644': '0644', '600': '0600', '0600': '0600' };

/** Files of the assets folder matching a Killercoda asset pattern (`*`, `*.sh`, `app.conf`). */
async function matchAssets(dir: string, pattern: string): Promise<string[]> {
  const base = path.join(dir, 'assets');
  const all: string[] = [];
  const walk = async (rel: string) => {
    for (const e of await readdir(path.join(base, rel), { withFileTypes: true }).catch(() => [])) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else if (e.isFile()) all.push(r);
    }
  };
  await walk('');
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
  // "*" is every file, folders included (Killercoda copies the whole assets folder).
  return all.filter((f) => pattern === '*' || re.test(f)).sort();
}

/**
 * The hosts of a Killercoda backend. A Kubernetes backend (`kubernetes-kubeadm-2nodes`,
 * `kubernetes-kubeadm-1node`...) becomes Praxis's kubeadm cluster with Killercoda's host names:
 * `controlplane` and `node01`, `node02`... as workers (docs/kubernetes.md); anything else is one
 * Ubuntu-style host, a Debian node with the usual tools.
 */
function hostsOf(imageid: string | undefined, notes: ImportNote[]): { nodes: { name: string; hostname: string }[]; cluster?: LabDraft['cluster'] } {
  const id = imageid ?? 'ubuntu';
  if (/kubernetes|k8s|kubeadm/.test(id)) {
    const count = Math.max(1, Math.min(9, Number(/(\d+)-?nodes?\b/.exec(id)?.[1] ?? 1)));
    const workers = Array.from({ length: count - 1 }, (_, i) => `node${String(i + 1).padStart(2, '0')}`);
    const nodes = ['controlplane', ...workers].map((name) => ({ name, hostname: name }));
    notes.push({
      kind: 'mapped',
      source: 'index.json',
      message: `backend "${id}" became a kubeadm cluster (topology.cluster): control plane "controlplane"${workers.length ? `, worker${workers.length > 1 ? 's' : ''} ${workers.map((w) => `"${w}"`).join(', ')}` : ''}, with the same host names as on Killercoda; checks run kubectl in the grader with the cluster's admin credentials (docs/kubernetes.md)`,
    });
    if (!/kubeadm/.test(id)) notes.push({ kind: 'review', source: 'index.json', message: `backend "${id}" is not a kubeadm cluster on Killercoda: Praxis's cluster is kubeadm (Kubernetes 1.34+, its own network plugin); check what the scenario assumes of its distribution` });
    return { nodes, cluster: { controlPlane: 'controlplane', workers } };
  }
  notes.push({ kind: 'mapped', source: 'index.json', message: `backend "${id}" became one Debian node "host01" (hostname ubuntu) with the usual tools (iproute2, iptables, curl, dnsutils, tcpdump...); tools an Ubuntu host has beyond those go into its packages:` });
  return { nodes: [{ name: 'host01', hostname: 'ubuntu' }] };
}

export async function importKillercoda(srcDir: string, outDir: string): Promise<ImportResult> {
  const dir = path.resolve(srcDir);
  let index: Record<string, unknown>;
  try {
    index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new ImportError('IMPORT_SOURCE_INVALID', `${dir} is not a Killercoda scenario: index.json ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `does not parse (${(error as Error).message})`}`);
  }
  const notes: ImportNote[] = [];
  const details = (index.details ?? {}) as Record<string, unknown>;
  const intro = (details.intro ?? {}) as KcStep;
  const steps = (Array.isArray(details.steps) ? details.steps : []) as KcStep[];
  const backend = (index.backend ?? {}) as { imageid?: string };
  const { nodes, cluster } = hostsOf(backend.imageid, notes);
  const main = nodes[0]!.name;
  // Debian packages the scenario installs or uses (scripts run on its first host).
  const packages = new Set<string>();
  const software = (text: string, rel: string, rewrite: boolean) => {
    if (cluster && rewrite) noteImagePulls(text, rel, notes);
    const mapped = mapSoftware(text, rel, main, notes, { rewrite });
    for (const p of mapped.packages) packages.add(p);
    return mapped.text;
  };

  // Nothing silently dropped: every key we do not read is reported.
  const known = { top: ['title', 'description', 'details', 'backend', 'interface', 'difficulty', 'time'], details: ['intro', 'steps', 'finish', 'assets'], step: ['title', 'text', 'verify', 'background', 'foreground'] };
  for (const k of Object.keys(index)) if (!known.top.includes(k)) notes.push({ kind: 'unmapped', source: 'index.json', message: `"${k}" is not mapped` });
  for (const k of Object.keys(details)) if (!known.details.includes(k)) notes.push({ kind: 'unmapped', source: 'index.json', message: `details.${k} is not mapped` });
  const iface = index.interface as { layout?: string } | undefined;
  if (iface?.layout) notes.push({ kind: 'unmapped', source: 'index.json', message: `interface.layout "${iface.layout}" (a desktop/IDE layout): Praxis shows questions beside terminals` });

  const title = String(index.title ?? path.basename(dir)).slice(0, 120);
  const description = String(index.description ?? title);
  const introText = intro.text ? cleanMarkdown(await readSource(dir, intro.text), intro.text, notes) : `# ${title}\n\n${description}\n`;
  if (intro.text) notes.push({ kind: 'mapped', source: intro.text, message: 'became the intro' });

  // Setup: the intro's background (and step 1's) run at the start; a later step's background
  // becomes the setup of a stage that the previous task's passing Check unlocks, as Killercoda
  // runs it when that step opens (after the previous step's verify passed).
  const setupParts: string[] = [];
  const plan = planStages('step');
  const addSetup = async (rel: string, label: string, n: number) => {
    const text = software(await readSource(dir, rel), rel, true);
    const body = `# --- from ${rel} (${label})\n${text.replace(/^#!.*\n/, '').trimEnd()}\n`;
    const staged = n > 1 ? plan.addSetup(main, body, n, steps[n - 1]?.title ?? `Step ${n}`) : undefined;
    if (staged) {
      notes.push({
        kind: 'mapped',
        source: rel,
        message: `became the setup of stage "${staged.stage.id}", run on "${main}" when task "${staged.unlockedBy}" passes a Check (Killercoda ran it when ${label} opened); ${label}'s task and the later ones belong to that stage`,
      });
    } else {
      setupParts.push(body);
      notes.push(
        n > 1
          ? { kind: 'review', source: rel, message: `${label}'s background ran when that step opened, but no earlier step has a verify script to unlock a stage: it now runs at the start, before step 1; check it does not give away or break an earlier step` }
          : { kind: 'mapped', source: rel, message: `became the setup of node "${main}"` },
      );
    }
    for (const [i, line] of text.split('\n').entries()) {
      if (/\b(pip3?|npm)\s+install|\b(curl|wget)\s+\S*https?:/.test(line)) {
        notes.push({ kind: 'review', source: rel, line: i + 1, message: 'downloads or installs software: lab nodes have no route off the host (provide it as a lab file or an image)' });
      }
    }
  };
  const taken = new Set<string>();
  const questions: DraftTask[] = [];
  if (intro.background) await addSetup(intro.background, 'the intro', 0);
  if (intro.foreground) notes.push({ kind: 'unmapped', source: intro.foreground, message: "foreground script (runs in the learner's terminal): Praxis starts terminals clean" });

  const extraIntro: string[] = [];
  for (const [i, step] of steps.entries()) {
    const n = i + 1;
    const label = `step ${n}`;
    for (const k of Object.keys(step)) if (!known.step.includes(k)) notes.push({ kind: 'unmapped', source: 'index.json', message: `details.steps[${i}].${k} is not mapped` });
    if (step.background) await addSetup(step.background, label, n);
    if (step.foreground) notes.push({ kind: 'unmapped', source: step.foreground, message: `foreground script of ${label} (runs in the learner's terminal): not mapped` });
    const stepTitle = step.title ?? `Step ${n}`;
    const raw = step.text ? await readSource(dir, step.text) : '';
    const text = cleanMarkdown(raw, step.text ?? 'index.json', notes);
    const prompt = `## ${stepTitle}\n\n${text.trim()}\n`;
    if (!step.verify) {
      extraIntro.push(prompt);
      notes.push({ kind: 'review', source: step.text ?? 'index.json', message: `${label} has no verify script, so it is no task: its text was added to the intro` });
      continue;
    }
    const id = slugify(stepTitle, taken, `step-${n}`);
    const verify = await readSource(dir, step.verify);
    software(verify, step.verify, false);
    const adapted = adaptCheckScript(verify, step.verify, { cluster: Boolean(cluster) });
    notes.push({ kind: 'adapted', source: step.verify, message: `became the check of task "${id}" (run in the trusted grader of "${main}")` }, ...adapted.notes);
    const commands = extractExecCommands(raw).map((c) => software(c, step.text!, true));
    const solve = commands.length ? [{ node: main, text: `#!/bin/bash\n# The commands step ${n} runs on click ({{exec}}), from ${step.text}.\n${commands.join('\n')}\n` }] : [];
    if (commands.length) notes.push({ kind: 'mapped', source: step.text!, message: `its {{exec}} commands became the solution of task "${id}"` });
    else notes.push({ kind: 'review', source: step.text ?? 'index.json', message: `task "${id}" has no solution (no {{exec}} commands): \`praxis lab test\` cannot prove its check; write solutions/${id}.sh` });
    questions.push({
      kind: 'task',
      id,
      prompt,
      check: { node: main, text: wrapImportedCheck(adapted.text, `${stepTitle}: not done yet.`) },
      solve,
      explanation: commands.length ? `One way:\n\n\`\`\`sh\n${commands.join('\n')}\n\`\`\`` : `See the step's text (imported from ${step.text ?? 'index.json'}).`,
    });
    const stage = plan.assign(id, true);
    if (stage) questions[questions.length - 1]!.stage = stage;
  }
  // A stage no task followed (its step and the later ones had no verify): its setup runs at the start.
  const { stages, orphans } = plan.finish();
  for (const { stage, setup } of orphans) {
    for (const s of setup) setupParts.push(s.text.replace(/^#!.*\n/, ''));
    notes.push({ kind: 'review', source: 'index.json', message: `stage "${stage.id}" would have no task (no later step has a verify script): its setup now runs at the start; check it does not give away or break an earlier step` });
  }

  // Assets: files copied into the nodes before setup.
  const files: LabDraft['files'] = [];
  const assets = (details.assets ?? {}) as Record<string, KcAsset[]>;
  for (const [host, list] of Object.entries(assets)) {
    const node = nodes.find((x) => x.name === nodeNameOf(host))?.name ?? main;
    for (const a of list) {
      const matched = await matchAssets(dir, a.file);
      if (!matched.length) notes.push({ kind: 'review', source: 'index.json', message: `asset "${a.file}" matches no file under assets/` });
      const mode = a.chmod ? MODE[a.chmod] : '0644';
      if (a.chmod && !mode) notes.push({ kind: 'review', source: 'index.json', message: `asset chmod "${a.chmod}" is not understood: the files keep mode 0644` });
      for (const rel of matched) {
        const content = await readFile(path.join(dir, 'assets', rel), 'utf8');
        const target = `${a.target.replace(/\/+$/, '').replace(/^~/, '/root')}/${rel}`;
        files.push({ source: `assets/${rel}`, content, node, target, mode: mode ?? '0644' });
        notes.push({ kind: 'mapped', source: `assets/${rel}`, message: `copied to ${target} on "${node}" (mode ${mode ?? '0644'})` });
      }
    }
  }

  const finish = (details.finish ?? {}) as { text?: string };
  let finishText: string | undefined;
  if (finish.text) {
    finishText = cleanMarkdown(await readSource(dir, finish.text), finish.text, notes);
    notes.push({ kind: 'mapped', source: finish.text, message: 'became the finish text' });
  }
  if (!questions.length) {
    throw new ImportError('IMPORT_SOURCE_INVALID', `${dir}: no step has a verify script, so there is nothing to grade (a Praxis lab needs at least one question)`);
  }

  const labId = slugify(path.basename(path.resolve(outDir)), new Set(), 'imported');
  const draft: LabDraft = {
    id: labId,
    title,
    summary: description.replace(/\s+/g, ' ').trim().slice(0, 500),
    difficulty: 'medium',
    timeLimitMinutes: Math.min(480, Math.max(10, steps.length * 10)),
    tags: ['imported', 'killercoda'],
    intro: [introText.trim(), ...extraIntro].join('\n\n'),
    ...(finishText ? { finish: finishText } : {}),
    nodes,
    ...(cluster ? { cluster } : {}),
    packages: packages.size ? { [main]: [...packages].sort() } : {},
    setup: setupParts.length ? { [main]: `#!/bin/bash\n${setupParts.join('\n')}` } : {},
    files,
    questions,
    ...(stages.length ? { stages } : {}),
    origin: `the Killercoda scenario ${path.basename(dir)}`,
  };
  noteDaemons(packages, main, 'index.json', notes);
  notes.push({ kind: 'review', source: 'index.json', message: `difficulty "medium" and a time limit of ${draft.timeLimitMinutes} minutes were chosen (Killercoda has neither): adjust in lab.yaml` });
  await writeLabDraft(path.resolve(outDir), draft, notes);
  return { labDir: path.resolve(outDir), labId, notes };
}


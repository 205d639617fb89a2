// Writing an imported lab as an ordinary lab folder (lab.yaml, Markdown, scripts, assets) plus
// IMPORT-REPORT.md, so the author reviews and edits it like any other lab. Both importers build a
// LabDraft; this file alone knows the folder layout.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { ImportError, type ImportNote } from './import.types';

export interface DraftScript {
  node: string;
  text: string;
}

export interface DraftTask {
  kind: 'task';
  id: string;
  prompt: string;
  check: DraftScript;
  solve: DraftScript[];
  explanation: string;
  hint?: string;
  /** The stage (`LabDraft.stages[].id`) the task belongs to. */
  stage?: string;
}

/** A stage a passed task unlocks, with the setup that runs then (a later step's background). */
export interface DraftStage {
  id: string;
  title: string;
  unlock: string[];
  setup: DraftScript[];
}

export interface DraftChoice {
  kind: 'choice';
  id: string;
  prompt: string;
  multiple: boolean;
  options: { text: string; correct: boolean }[];
  explanation: string;
  stage?: string;
}

export interface LabDraft {
  id: string;
  title: string;
  summary: string;
  difficulty: 'easy' | 'medium' | 'hard';
  timeLimitMinutes: number;
  tags: string[];
  intro: string;
  finish?: string;
  nodes: { name: string; hostname: string }[];
  /** A kubeadm cluster on some of the nodes (a Kubernetes backend): topology.cluster. */
  cluster?: { controlPlane: string; workers: string[] };
  /** Debian packages per node (what the source installs or uses that the node image lacks). */
  packages?: Record<string, string[]>;
  /** Setup script text per node. */
  setup: Record<string, string>;
  /** Files to copy into nodes: `source` is the path written under assets/. */
  files: { source: string; content: string; node: string; target: string; mode: string }[];
  questions: (DraftTask | DraftChoice)[];
  /** Stages of the lab, in order (absent: none). */
  stages?: DraftStage[];
  /** Where the lab came from, for the report's title. */
  origin: string;
}

/** `Step 2: Configure nginx!` -> `configure-nginx`; unique among `taken`. */
export function slugify(text: string, taken: Set<string>, fallback: string): string {
  const base =
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50)
      .replace(/-+$/, '') || fallback;
  let id = /^[a-z0-9]/.test(base) ? base : `${fallback}-${base}`;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/**
 * Text of another platform made safe for Praxis's `{{ variable }}` templating: the source's own
 * placeholders (`{{TRAFFIC_HOST1_80}}`, Instruqt's `[[ Instruqt-Var ... ]]`) have no value here,
 * so they are written out as plain words and reported.
 */
export function neutralizePlaceholders(text: string, source: string, notes: ImportNote[]): string {
  let out = text.replace(/\{\{\s*TRAFFIC_HOST(\d+)_(\d+)\s*\}\}/g, (_m, host: string, port: string) => {
    notes.push({ kind: 'unmapped', source, message: `a link to port ${port} of host ${host} in a browser tab ({{TRAFFIC_HOST${host}_${port}}}): Praxis has no web tabs; it now reads "port ${port} of host${host.padStart(2, '0')}"` });
    return `port ${port} of host${host.padStart(2, '0')}`;
  });
  out = out.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_m, name: string) => {
    notes.push({ kind: 'unmapped', source, message: `placeholder {{${name}}} has no value in Praxis: it now reads "${name}"` });
    return name;
  });
  return out.replace(/\[\[\s*Instruqt-[^\]]*\]\]/g, (m) => {
    notes.push({ kind: 'unmapped', source, message: `${m} (an Instruqt variable) has no value in Praxis: removed from the text` });
    return '';
  });
}

/** A node name of the topology (`host01`, `kubernetes-vm`) from a source host name. */
export function nodeNameOf(host: string): string {
  const name = host.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').slice(0, 31).replace(/-+$/, '');
  return name || 'host';
}

function formatReport(draft: LabDraft, notes: ImportNote[]): string {
  const order: ImportNote['kind'][] = ['unmapped', 'review', 'adapted', 'mapped'];
  const heads: Record<ImportNote['kind'], string> = {
    unmapped: 'Not mapped (no Praxis equivalent: decide by hand)',
    review: 'Review by hand (could pass falsely, or behaves differently in Praxis)',
    adapted: 'Adapted (rewritten for the grader)',
    mapped: 'Mapped as is',
  };
  const out = [`# Import report: ${draft.title}`, '', `Imported from ${draft.origin} by \`praxis import\`.`, ''];
  for (const kind of order) {
    const of = notes.filter((n) => n.kind === kind);
    if (!of.length) continue;
    out.push(`## ${heads[kind]}`, '');
    for (const n of of) out.push(`- \`${n.source}${n.line ? `:${n.line}` : ''}\`: ${n.message}`);
    out.push('');
  }
  return out.join('\n');
}

export async function writeLabDraft(outDir: string, draft: LabDraft, notes: ImportNote[]): Promise<void> {
  const existing = await readdir(outDir).catch(() => []);
  if (existing.length > 0) throw new ImportError('IMPORT_TARGET_EXISTS', `${outDir} exists and is not empty: choose a new folder (nothing was written)`);
  const files = new Map<string, string>();
  const put = (rel: string, text: string) => {
    files.set(rel, text.endsWith('\n') ? text : `${text}\n`);
    return rel;
  };

  const multi = draft.nodes.length > 1;
  const lab: Record<string, unknown> = {
    id: draft.id,
    title: draft.title,
    summary: draft.summary,
    tags: draft.tags,
    difficulty: draft.difficulty,
    timeLimitMinutes: draft.timeLimitMinutes,
    intro: put('intro.md', draft.intro),
    topology: {
      nodes: draft.nodes.map((n) => ({ name: n.name, hostname: n.hostname, ...(draft.packages?.[n.name]?.length ? { packages: draft.packages[n.name] } : {}) })),
      segments: [{ name: 'lan' }],
      // One switch; every node gets an address so hosts reach each other by /etc/hosts names.
      links: draft.nodes.map((n, i) => ({ node: n.name, segment: 'lan', address: `192.168.100.${10 + i}/24` })),
      ...(draft.cluster ? { cluster: { controlPlane: draft.cluster.controlPlane, workers: draft.cluster.workers } } : {}),
    },
  };
  const hosts = draft.nodes.map((n, i) => `192.168.100.${10 + i} ${n.hostname}${n.hostname !== n.name ? ` ${n.name}` : ''}`).join('\n');
  const setup: Record<string, string> = {};
  for (const n of draft.nodes) {
    let text = draft.setup[n.name];
    if (multi) text = `#!/bin/bash\n# Added by praxis import: the other hosts by name.\ncat >>/etc/hosts <<'EOF'\n${hosts}\nEOF\n${text ? text.replace(/^#!.*\n/, '') : ''}`;
    if (text) setup[n.name] = put(`setup/${n.name}.sh`, text);
  }
  if (Object.keys(setup).length) lab.setup = setup;
  if (draft.files.length) {
    lab.files = draft.files.map((f) => ({ source: put(f.source, f.content), node: f.node, target: f.target, mode: f.mode }));
  }
  if (draft.finish) lab.finish = put('finish.md', draft.finish);
  if (draft.stages?.length) {
    lab.stages = draft.stages.map((st) => ({
      id: st.id,
      title: st.title,
      unlock: st.unlock,
      setup: st.setup.map((s, i) => ({ node: s.node, file: put(`setup/${st.id}${st.setup.length > 1 ? `-${i + 1}` : ''}.sh`, s.text) })),
    }));
  }
  lab.questions = draft.questions.map((q) => {
    const prompt = put(`questions/${q.id}.md`, q.prompt);
    const stage = q.stage ? { stage: q.stage } : {};
    if (q.kind === 'choice') {
      return {
        id: q.id,
        kind: 'choice',
        ...stage,
        prompt,
        multiple: q.multiple,
        options: q.options.map((o, i) => ({ id: String.fromCharCode(97 + i), text: o.text, ...(o.correct ? { correct: true } : {}) })),
        explanation: q.explanation,
      };
    }
    return {
      id: q.id,
      kind: 'task',
      ...stage,
      prompt,
      check: { node: q.check.node, file: put(`checks/${q.id}.sh`, q.check.text) },
      solve: q.solve.map((s, i) => ({ node: s.node, file: put(`solutions/${q.id}${q.solve.length > 1 ? `-${i + 1}` : ''}.sh`, s.text) })),
      explanation: q.explanation,
      ...(q.hint ? { hint: q.hint } : {}),
    };
  });
  if (draft.questions.some((q) => q.kind === 'task')) {
    notes.push({ kind: 'review', source: 'lab.yaml', message: 'no task has spoof fixtures (how a cheater would fake it): add them (docs/lab-format.md, "Spoof fixtures") so `praxis lab test` proves the checks resist them' });
  }
  put('IMPORT-REPORT.md', formatReport(draft, notes));
  put('lab.yaml', `# Imported from ${draft.origin} by praxis import: see IMPORT-REPORT.md.\n${stringify(lab, { lineWidth: 0 })}`);

  for (const [rel, text] of files) {
    await mkdir(path.dirname(path.join(outDir, rel)), { recursive: true });
    await writeFile(path.join(outDir, rel), text);
  }
}

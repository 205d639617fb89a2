// Validation for authors and for import: one lab folder or a folder of lab folders, each reported
// as loaded or as a list of located errors. Never throws for a broken lab.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { LAB_FILE, loadLab } from './load-lab';
import type { Lab, LabIssue } from './lab.types';

export interface LabValidation {
  dir: string;
  ok: boolean;
  lab?: Lab;
  errors: LabIssue[];
}

/** `dir` itself when it holds lab.yaml, else its sub-folders that do (sorted by name). */
export async function findLabDirs(dir: string): Promise<string[]> {
  const abs = path.resolve(dir);
  if (await isFile(path.join(abs, LAB_FILE))) return [abs];
  const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.isDirectory() && (await isFile(path.join(abs, e.name, LAB_FILE)))) out.push(path.join(abs, e.name));
  }
  return out;
}

async function isFile(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isFile()).catch(() => false);
}

export async function validateLab(dir: string): Promise<LabValidation> {
  const result = await loadLab(dir);
  return result.ok ? { dir: result.lab.dir, ok: true, lab: result.lab, errors: [] } : { dir: result.dir, ok: false, errors: result.errors };
}

/** Validates every lab under `dir` (or `dir` itself); an empty folder is one error. */
export async function validateLabs(dir: string): Promise<LabValidation[]> {
  const dirs = await findLabDirs(dir);
  if (dirs.length === 0) {
    const abs = path.resolve(dir);
    return [{ dir: abs, ok: false, errors: [{ code: 'LAB_NOT_FOUND', file: LAB_FILE, line: 1, path: '', message: `no ${LAB_FILE} in ${abs} or in its sub-folders` }] }];
  }
  return Promise.all(dirs.map(validateLab));
}

/** `labs/01-x/lab.yaml:42 questions[3].check.node: "d" is not a node...` (file relative to `base`; `:column` after the line when known). */
export function formatLabIssue(labDir: string, issue: LabIssue, base = process.cwd()): string {
  const full = path.join(labDir, issue.file);
  const rel = path.relative(base, full);
  const file = rel && !rel.startsWith('..') ? rel : full;
  return `${file}:${issue.line}${issue.column ? `:${issue.column}` : ''}${issue.path ? ` ${issue.path}` : ''}: ${issue.message}`;
}

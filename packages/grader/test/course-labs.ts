// The authoring test of the course labs under labs/, shared by the course-labs-*.test.ts files:
// every lab passes `praxis lab test --isolated`, spoof fixtures included: its checks fail fresh,
// pass after the solutions (all together, and each task alone on fresh machines after its
// declared `after:` tasks), and no cheater's fake fools them (the reference lab 01 is covered,
// with more assertions, in test-lab.test.ts). One test per lab, so a failure names the lab;
// finding no lab of a file's group is a failure, never a quiet pass. The labs are split into
// three files: the Linux labs, and the cluster labs in two halves that vitest starts first and
// side by side (each half one lab at a time, booting its next fresh cluster ahead). A cluster lab's
// time is mostly waiting for pods, so two halves at once take about as long as one (in CI here:
// halves of 1334 s and 1214 s side by side, where the nine labs in a row would take about 43 min).
// Lab 10 (about 250 s), added since, moves 11-16 to the other half: by those runs' per-lab times
// the halves come to about 1345 s (06, 09, 11, 13, 15) and 1453 s (08, 10, 12, 14, 16), closer
// than lab 10 added to either half of before (1584/1214 or 1334/1464).
// The mock exam (90-mock-exam: 657-971 s alone at load 3-37), eleventh in name order, lands in the
// first half: about 2000-2300 s (06, 09, 11, 13, 15, 90) against 1453 s, the closer of the two ways (in
// the second it would be 1345 s against about 2100-2400 s). Its tasks are labs 11-13's, which those
// labs test alone; here it skips the isolated phase (five clusters), and a test proves the copies exact.
// CI of 2026-11-30 (both halves side by side, nothing else running): lab 08 735 s, 10 over 1200 s,
// 12 794 s, so one lab's limit is 30 min. Since clusters boot in about half the time (node names
// in /etc/hosts, docs/kubernetes.md), the halves took 1222 s and 1272 s (were 2244 s and 2397 s),
// each lab 136-404 s (10-ipam-weave the longest, the mock exam 287 s).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findLabDirs, loadLab, type Lab, type TaskQuestion } from '@praxis/labs';
import { formatLabTestReport, testLab } from '../src';
import { destroyScope, docker, newScope } from './helpers';

export const labsDir = fileURLToPath(new URL('../../../labs', import.meta.url));

export type LabGroup = 'linux' | 'cluster-a' | 'cluster-b';

/** The course labs of one group: Linux labs (but the reference lab), or every other cluster lab in name order. */
export async function findCourseLabs(group: LabGroup): Promise<string[]> {
  const dirs = (await findLabDirs(labsDir)).filter((d) => path.basename(d) !== '01-switching-routing');
  const labs = await Promise.all(
    dirs.map(async (dir) => {
      const loaded = await loadLab(dir);
      // A lab that does not load stays in the Linux group, where its test names the broken file.
      return { dir, cluster: loaded.ok && Boolean(loaded.lab.topology.cluster) };
    }),
  );
  if (group === 'linux') return labs.filter((l) => !l.cluster).map((l) => l.dir);
  const cluster = labs.filter((l) => l.cluster).map((l) => l.dir).sort();
  return cluster.filter((_, i) => i % 2 === (group === 'cluster-a' ? 0 : 1));
}

/**
 * One lab's authoring test at most. A cluster lab took 136-404 s beside the other half in the
 * last clean run, and up to three times as long on a loaded machine; past this, something is
 * stuck, not slow.
 */
const LAB_TEST_LIMIT_MS = 1_800_000;

async function loadOrThrow(dir: string): Promise<Lab> {
  const r = await loadLab(dir);
  if (!r.ok) throw new Error(`${dir} does not load: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return r.lab;
}

/** The course's mock exam (tagged as the seed bank's exam), whose tasks are copies of other labs'. */
async function isMockExam(dir: string): Promise<boolean> {
  const r = await loadLab(dir);
  return r.ok && r.lab.tags.includes('mock-exam');
}

/** The shell functions of a check library, each as its text from `name() {` to its closing `}`. */
function shellFunctions(lib: string): string[] {
  return [...lib.matchAll(/^[a-z_][a-z0-9_]*\(\) \{\n[\s\S]*?^\}$/gm)].map((m) => m[0]);
}

/** One test per lab of the group, and one that fails when the group has no lab. */
export function describeCourseLabs(group: LabGroup, dirs: string[], minimum: number) {
  const scope = newScope(`courselabs-${group}`);
  afterAll(() => destroyScope(scope));

  describe(`course labs (${group})`, () => {
    it(`finds at least ${minimum} ${group} labs`, () => {
      expect(dirs.length, `${dirs.length} ${group} labs under ${labsDir}`).toBeGreaterThanOrEqual(minimum);
    });

    it.each(dirs.map((d) => [path.basename(d), d]))('%s passes praxis lab test --isolated, spoof fixtures included', async (_name, dir) => {
      // The mock exam's tasks are other labs' tasks (see "reuses" below): each already proved alone there.
      const isolated = !(await isMockExam(dir));
      const report = await testLab(docker, dir, { scope, spoofConcurrency: 3, isolated });
      expect(report.ok, formatLabTestReport(report)).toBe(true);
      const tasks = report.rows.filter((r) => r.kind === 'task');
      expect(tasks.length).toBeGreaterThan(0);
      if (isolated) for (const t of tasks) expect(t.alone, `task ${t.questionId} alone`).toBe('passed');
      // Every task ships fixtures of how a cheater would fake it, and none fools its check.
      for (const t of tasks) expect(t.spoofs?.length ?? 0, `task ${t.questionId} has no spoof fixture`).toBeGreaterThan(0);
      expect(report.fakedPoints?.faked).toBe(0);
    }, LAB_TEST_LIMIT_MS);

    // Each task alone costs the mock exam a fresh cluster, five in all (a third of its test time),
    // to prove again what its source labs prove: its tasks are theirs, solution and check text for
    // text. This test holds it to that, so a mock-exam task that stops being a copy is tested alone
    // again (by removing it from the mock exam's tag or making the copy exact).
    const mocks = dirs.filter((d) => path.basename(d).startsWith('90-'));
    it.each(mocks.map((d) => [path.basename(d), d]))('%s reuses tasks that their own labs test alone, text for text', async (_name, dir) => {
      expect(await isMockExam(dir)).toBe(true);
      const mock = await loadOrThrow(dir);
      const others = await Promise.all((await findLabDirs(labsDir)).filter((d) => d !== dir).map(loadOrThrow));
      for (const task of mock.questions.filter((q): q is TaskQuestion => q.kind === 'task')) {
        const sources = others.flatMap((lab) => lab.questions.filter((q): q is TaskQuestion => q.kind === 'task' && q.id === task.id).map((q) => ({ lab, q })));
        expect(sources.map((s) => s.lab.id), `a lab with task ${task.id}`).not.toEqual([]);
        const { lab, q } = sources[0]!;
        expect(lab.topology.cluster, `${lab.id} is a cluster lab, tested alone in this suite`).toBeTruthy();
        expect(task.check.text, `${task.id}: check of ${lab.id}`).toBe(q.check.text);
        expect(task.check.nodes).toEqual(q.check.nodes);
        expect(task.solve.map((s) => [s.nodes, s.text]), `${task.id}: solution of ${lab.id}`).toEqual(q.solve.map((s) => [s.nodes, s.text]));
        // The same values for the lab variables the scripts name ({{ node_port }}...).
        for (const name of [task.check, ...task.solve].flatMap((s) => [...s.text.matchAll(/\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g)].map((m) => m[1]!))) {
          expect(mock.variables[name], `${task.id}: {{ ${name} }} as in ${lab.id}`).toEqual(lab.variables[name]);
        }
        // Every helper the source lab's checks have is in the mock exam's library, word for word.
        for (const fn of shellFunctions(q.check.lib ?? '')) expect(task.check.lib ?? '', `${task.id}: helper of ${lab.id}`).toContain(fn);
      }
    });
  });
}

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
// the second it would be 1345 s against about 2100-2400 s).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findLabDirs, loadLab } from '@praxis/labs';
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

/** One test per lab of the group, and one that fails when the group has no lab. */
export function describeCourseLabs(group: LabGroup, dirs: string[], minimum: number) {
  const scope = newScope(`courselabs-${group}`);
  afterAll(() => destroyScope(scope));

  describe(`course labs (${group})`, () => {
    it(`finds at least ${minimum} ${group} labs`, () => {
      expect(dirs.length, `${dirs.length} ${group} labs under ${labsDir}`).toBeGreaterThanOrEqual(minimum);
    });

    it.each(dirs.map((d) => [path.basename(d), d]))('%s passes praxis lab test --isolated, spoof fixtures included', async (_name, dir) => {
      const report = await testLab(docker, dir, { scope, spoofConcurrency: 3, isolated: true });
      expect(report.ok, formatLabTestReport(report)).toBe(true);
      const tasks = report.rows.filter((r) => r.kind === 'task');
      expect(tasks.length).toBeGreaterThan(0);
      for (const t of tasks) expect(t.alone, `task ${t.questionId} alone`).toBe('passed');
      // Every task ships fixtures of how a cheater would fake it, and none fools its check.
      for (const t of tasks) expect(t.spoofs?.length ?? 0, `task ${t.questionId} has no spoof fixture`).toBeGreaterThan(0);
      expect(report.fakedPoints?.faked).toBe(0);
    }, 1_200_000);
  });
}

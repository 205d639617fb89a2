// Every course lab under labs/ passes the authoring test, spoof fixtures included: its checks fail
// fresh, pass after the solutions (all together, and each task alone on fresh machines after its
// declared `after:` tasks), and no cheater's fake fools them (the reference lab 01 is
// covered, with more assertions, in test-lab.test.ts). One test per lab, so a failure names the
// lab; finding no lab at all is a failure, never a quiet pass.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findLabDirs } from '@praxis/labs';
import { formatLabTestReport, testLab } from '../src';
import { destroyScope, docker, newScope } from './helpers';

const scope = newScope('courselabs');
const labsDir = fileURLToPath(new URL('../../../labs', import.meta.url));
const all = await findLabDirs(labsDir);
const dirs = all.filter((d) => path.basename(d) !== '01-switching-routing');

afterAll(() => destroyScope(scope));

describe('course labs', () => {
  it('finds the course labs', () => {
    expect(all.map((d) => path.basename(d)), `no lab.yaml under ${labsDir}`).toContain('01-switching-routing');
    expect(dirs.length, `only the reference lab under ${labsDir}`).toBeGreaterThanOrEqual(6);
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
  }, 600_000);
});

// Every course lab under labs/ passes the authoring test (the reference lab 01 is covered, with
// more assertions, in test-lab.test.ts). One test per lab, so a failure names the lab.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findLabDirs } from '@praxis/labs';
import { formatLabTestReport, testLab } from '../src';
import { destroyScope, docker, newScope } from './helpers';

const scope = newScope('courselabs');
const labsDir = fileURLToPath(new URL('../../../labs', import.meta.url));
const dirs = (await findLabDirs(labsDir)).filter((d) => path.basename(d) !== '01-switching-routing');

afterAll(() => destroyScope(scope));

describe.runIf(dirs.length > 0)('course labs', () => {
  it.each(dirs.map((d) => [path.basename(d), d]))('%s passes praxis lab test', async (_name, dir) => {
    const report = await testLab(docker, dir, { scope });
    expect(report.ok, formatLabTestReport(report)).toBe(true);
  }, 300_000);
});

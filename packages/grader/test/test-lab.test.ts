// The authoring test end to end on real Docker: the reference lab passes; a broken lab is refused
// with located errors before anything is provisioned; a valid lab with wrong checks is caught.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatLabTestReport, LabTestAbortedError, testLab } from '../src';
import { destroyInstance } from '@praxis/sandbox';
import { destroyScope, docker, newScope } from './helpers';

const scope = newScope('labtest');
const at = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));

// testLab tears down itself; this only guards against a crash in the middle.
afterAll(() => destroyScope(scope));

describe('testLab', () => {
  it('passes on the reference lab 01-switching-routing and leaves nothing behind', async () => {
    const report = await testLab(docker, at('../../../labs/01-switching-routing'), { scope, spoofConcurrency: 3, isolated: true });
    const table = formatLabTestReport(report);
    expect(report.ok, table).toBe(true);
    const tasks = report.rows.filter((r) => r.kind === 'task');
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((r) => r.fresh === 'failed' && r.solved === 'passed' && r.alone === 'passed')).toBe(true);
    // Every task has spoof fixtures, and none fools its check.
    expect(tasks.every((r) => (r.spoofs?.length ?? 0) > 0 && r.spoofs!.every((s) => s.result === 'held'))).toBe(true);
    expect(report.fakedPoints?.faked).toBe(0);
    expect(report.rows.find((r) => r.questionId === 'router-mac')?.answer).toBe('02:42:c0:a8:01:06');
    const left = await docker.listContainers({ all: true, filters: { label: [`praxis.scope=${scope}`] } });
    expect(left).toHaveLength(0);
    console.log(`${table}\n(lab test took ${report.durationMs} ms, provisioning ${report.provisionMs} ms)`);
  });

  it('refuses a broken lab with errors naming file and line, provisioning nothing', async () => {
    const report = await testLab(docker, at('./fixtures/broken-lab'), { scope });
    expect(report.ok).toBe(false);
    expect(report.rows).toHaveLength(0);
    const found = report.errors.map((e) => `${e.file}:${e.line} ${e.path}`);
    expect(found).toEqual(
      expect.arrayContaining(['lab.yaml:17 question 1 (route) check.node', 'lab.yaml:23 question 2 (missing-prompt) prompt', 'questions/route.md:2 ']),
    );
    expect(formatLabTestReport(report, at('./fixtures'))).toContain('broken-lab/lab.yaml:17 question 1 (route) check.node: "d" is not a node of the topology');
  });

  it("runs the lab's shared library (lib:) before its checks and computed answers", async () => {
    const report = await testLab(docker, at('./fixtures/lib-lab'), { scope });
    expect(report.ok, formatLabTestReport(report)).toBe(true);
    const row = Object.fromEntries(report.rows.map((r) => [r.questionId, r]));
    expect(row['make-marker']).toMatchObject({ fresh: 'failed', solved: 'passed', detail: '' });
    expect(row['node-hostname']).toMatchObject({ answer: 'solo-host' });
  });

  it('builds the lab image of a lab that names packages (or finds it built), and its node and grader both have them', { timeout: 600_000 }, async () => {
    const progress: string[] = [];
    const report = await testLab(docker, at('./fixtures/packages-lab'), { scope, onProgress: (m) => progress.push(m) });
    expect(report.ok, formatLabTestReport(report)).toBe(true);
    const row = Object.fromEntries(report.rows.map((r) => [r.questionId, r]));
    expect(row['big-power']).toMatchObject({ fresh: 'failed', solved: 'passed' });
    expect(row['bc-version']).toMatchObject({ answer: '.125' });
    // Built now (each apt step shown) or by an earlier run (then nothing is said of it).
    const built = progress.filter((m) => m.startsWith('packages-lab: building the lab image'));
    if (built.length) expect(progress).toContainEqual(expect.stringMatching(/^packages-lab: lab image praxis-lab:[0-9a-f]{12} built in/));
    expect(progress.indexOf('packages-lab: provisioning')).toBeGreaterThan(built.length ? progress.indexOf(built[0]!) : -1);
  });

  it('fails a lab whose package Debian does not have, naming the lab and the package', { timeout: 300_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'praxis-packages-'));
    try {
      await cp(at('./fixtures/packages-lab'), dir, { recursive: true });
      const yaml = await readFile(path.join(dir, 'lab.yaml'), 'utf8');
      await writeFile(path.join(dir, 'lab.yaml'), yaml.replace('packages: [bc]', 'id: bad-packages\npackages: [bc, praxis-no-such-tool]'));
      const report = await testLab(docker, dir, { scope });
      expect(report.ok).toBe(false);
      expect(report.rows).toEqual([]);
      expect(report.failure).toMatch(/^lab "bad-packages", node "solo": Debian has no package "praxis-no-such-tool" to install/);
      expect(formatLabTestReport(report)).toContain('Debian has no package "praxis-no-such-tool"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs each spoof fixture on fresh machines: held, fooled (a weak check), not staged (no symptom)', async () => {
    const report = await testLab(docker, at('./fixtures/spoof-lab'), { scope });
    expect(report.ok).toBe(false);
    const row = Object.fromEntries(report.rows.map((r) => [r.questionId, r]));
    expect(row['address-on-lo']!.spoofs!.map((s) => [s.spoofId, s.result])).toEqual([
      ['on-another-interface', 'held'],
      ['stages-nothing', 'not staged'],
    ]);
    expect(row['address-on-lo']!.detail).toContain('spoof "stages-nothing" (other) is not staged: its symptom does not show (lab.yaml:');
    expect(row['address-on-lo']!.detail).toContain('no 10.9.0.1 anywhere), so it proves nothing');
    expect(row['marker-file']).toMatchObject({ ok: false, fresh: 'failed', solved: 'passed' });
    expect(row['marker-file']!.spoofs!.map((s) => [s.spoofId, s.result, s.fooled])).toEqual([['write-the-file', 'fooled', ['marker-file']]]);
    expect(row['marker-file']!.detail).toBe('spoof "write-the-file" (fake-file) fools the check: it makes the check of "marker-file" pass on machines where the task was faked');
    expect(report.fakedPoints).toEqual({ faked: 3, of: 5 });
    expect(formatLabTestReport(report)).toContain('spoof fixtures: 3 in');
    expect(formatLabTestReport(report)).toContain('1 fooled a check (a cheater could fake 3 of 5 task points)');
    // Every fixture's machines are gone.
    const left = await docker.listContainers({ all: true, filters: { label: [`praxis.scope=${scope}`] } });
    expect(left).toHaveLength(0);
    // Without spoofs, the lab's own phases pass.
    const plain = await testLab(docker, at('./fixtures/spoof-lab'), { scope, spoofs: false });
    expect(plain.ok, formatLabTestReport(plain)).toBe(true);
    expect(plain.rows.every((r) => r.spoofs === undefined)).toBe(true);
  });

  it('catches checks that pass fresh, solves that do not solve, and wrong references', async () => {
    const report = await testLab(docker, at('./fixtures/surprising-lab'), { scope, keep: 'failure' });
    expect(report.ok).toBe(false);
    // --keep: the machines stay, after the solutions, for `praxis lab grade` and a shell.
    expect(report.keptInstanceId).toMatch(/^px/);
    const kept = await docker.listContainers({ filters: { label: [`praxis.instance=${report.keptInstanceId}`] } });
    expect(kept.length).toBeGreaterThan(0);
    await destroyInstance(docker, report.keptInstanceId!);
    // A check that fails without a FAIL: line is a warning (the learner would read no reason), not an error.
    expect(report.rows.find((r) => r.questionId === 'silent-check')).toMatchObject({ ok: true, fresh: 'failed', solved: 'passed', detail: '' });
    expect(report.rows.find((r) => r.questionId === 'silent-check')!.warnings).toEqual([
      expect.stringMatching(/^the check fails on solo without a FAIL: line, so the learner reads no reason \(exit 1/),
    ]);
    const table = formatLabTestReport(report, process.cwd(), { verbose: true });
    expect(table).toMatch(/✓\s+6\s+silent-check .*warning: the check fails on solo without a FAIL: line/);
    expect(table).toContain('1 warning');
    // --verbose: the learner's words on the fresh machines and after the solutions.
    expect(table).toContain('      fresh:  /tmp/done is missing');
    expect(table).toContain('      solved: never');
    expect(table).toContain(`kept instance ${report.keptInstanceId}: npx praxis lab grade ${report.keptInstanceId}`);
    const row = Object.fromEntries(report.rows.map((r) => [r.questionId, r]));
    expect(row['good']).toMatchObject({ ok: true, fresh: 'failed', solved: 'passed' });
    expect(row['passes-fresh']).toMatchObject({ ok: false, fresh: 'passed' });
    expect(row['passes-fresh']!.detail).toContain('passes on fresh machines');
    expect(row['solve-does-not-fix']).toMatchObject({ ok: false, fresh: 'failed', solved: 'failed' });
    expect(row['solve-does-not-fix']!.detail).toContain('still fails: never');
    expect(row['wrong-reference']).toMatchObject({ ok: false, answer: 'solo-host' });
    expect(row['right-reference']).toMatchObject({ ok: true, answer: 'solo-host' });
  });

  it('tests each task alone (--isolated): a wrong solution hidden by a later one is reported, after: prerequisites run first', async () => {
    const report = await testLab(docker, at('./fixtures/hidden-solution-lab'), { scope, isolated: true, spoofConcurrency: 3 });
    const row = Object.fromEntries(report.rows.map((r) => [r.questionId, r]));
    // The cumulative run sees nothing wrong ...
    expect(Object.values(row).every((r) => r.fresh === 'failed' && r.solved === 'passed')).toBe(true);
    // ... alone, ready-file's own solution does not do it.
    expect(row['ready-file']).toMatchObject({ ok: false, alone: 'failed' });
    expect(row['ready-file']!.detail).toBe(
      'alone (with no prerequisites (after:)) its own solution does not make its check pass: /srv/app/ready is missing; the cumulative run hid it (a later solution repeats a missing step), or the task needs "after:"',
    );
    expect(row['config-file']).toMatchObject({ ok: true, alone: 'passed' });
    expect(row['config-content']).toMatchObject({ ok: true, alone: 'passed' });
    expect(report.ok).toBe(false);
    expect(report.isolatedMs).toBeGreaterThan(0);
    expect(formatLabTestReport(report)).toMatch(/✗\s+1\s+ready-file\s+task\s+failed\s+passed\s+failed/);
    const left = await docker.listContainers({ all: true, filters: { label: [`praxis.scope=${scope}`] } });
    expect(left).toHaveLength(0);
  });

  it('runs a stage setup after its unlocking solution: the stage tasks are tested fresh after it, cumulatively and alone', async () => {
    const report = await testLab(docker, at('./fixtures/staged-lab'), { scope, isolated: true, spoofConcurrency: 2 });
    expect(report.ok, formatLabTestReport(report)).toBe(true);
    const row = Object.fromEntries(report.rows.map((r) => [r.questionId, r]));
    expect(report.rows.map((r) => r.questionId)).toEqual(['forward-on', 'restore-a', 'why-down']);
    // Before the stage setup, A still has its address and this check would pass ("grades nothing").
    expect(row['restore-a']).toMatchObject({ fresh: 'failed', solved: 'passed', alone: 'passed', freshReasons: ['A has no 192.168.50.5/24 on eth0'] });
    expect(row['forward-on']).toMatchObject({ fresh: 'failed', solved: 'passed', alone: 'passed' });
  });

  it('reports a failing stage setup on the questions of its stage, naming the script and its line', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'praxis-staged-'));
    try {
      await cp(at('./fixtures/staged-lab'), dir, { recursive: true });
      await writeFile(path.join(dir, 'setup/outage-a.sh'), '#!/bin/bash\necho starting\nif then\n');
      const report = await testLab(docker, dir, { scope, spoofs: false });
      const row = Object.fromEntries(report.rows.map((r) => [r.questionId, r]));
      expect(report.ok).toBe(false);
      expect(row['forward-on']).toMatchObject({ ok: true, solved: 'passed' });
      for (const id of ['restore-a', 'why-down']) {
        expect(row[id]!.ok).toBe(false);
        expect(row[id]!.detail).toMatch(/^setup setup\/outage-a\.sh of stage "outage" on a exited with 2: .*setup\/outage-a\.sh: line 3: syntax error/);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops on an AbortSignal and destroys what it made: the lab\'s own instance, and a spoof fixture\'s while it is being made', async () => {
    const left = async (ids: string[]) => {
      const containers = await docker.listContainers({ all: true, filters: { label: [`praxis.scope=${scope}`] } });
      const volumes = (await docker.listVolumes({ filters: { label: [`praxis.scope=${scope}`] } })).Volumes ?? [];
      return [...containers.map((c) => c.Labels['praxis.instance']), ...volumes.map((v) => v.Labels['praxis.instance'])].filter((id) => ids.includes(id!));
    };
    // In the main phase, once the lab's instance is up and its checks run.
    const main = new AbortController();
    const first = await testLab(docker, at('./fixtures/spoof-lab'), {
      scope,
      signal: main.signal,
      onProgress: (m) => m.includes('fresh machines: checks must fail') && main.abort(),
    }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(LabTestAbortedError);
    const removed = (first as LabTestAbortedError).removed;
    expect(removed).toHaveLength(1);
    expect(await left(removed)).toEqual([]);

    // In the spoof phase, the moment a fixture's instance is announced (before it exists).
    const spoof = new AbortController();
    const made: string[] = [];
    const second = await testLab(docker, at('./fixtures/spoof-lab'), {
      scope,
      signal: spoof.signal,
      spoofConcurrency: 1,
      onInstance: (id, live) => {
        if (!live) return;
        made.push(id);
        spoof.abort();
      },
    }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(LabTestAbortedError);
    expect(made).toHaveLength(1);
    expect((second as LabTestAbortedError).removed).toEqual(made);
    expect(await left(made)).toEqual([]);
  });
});

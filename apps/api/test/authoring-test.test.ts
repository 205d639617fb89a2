// The authoring test run through the API on real Docker and a real PostgreSQL: the reference lab
// proves itself row by row and leaves no instance behind (while the collector sweeps every 5 s);
// a lab whose check passes on fresh machines is reported as a surprise (also on the event stream);
// runs are refused when the version is already being tested or the server has no free instance.
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destroyInstance, listInstances } from '@praxis/sandbox';
import { signedInClient, startTestApp, type Client, type TestContext } from './api-helpers';
import { setUpTest, waitFor } from './attempt-helpers';

const LAB_DIR = path.resolve(import.meta.dirname, '../../../labs/01-switching-routing');
const scope = `api-authoring-${randomBytes(3).toString('hex')}`;
let ctx: TestContext;
let tmp: string;

beforeAll(async () => {
  // Banks come from the course's lab and from a lab written here: both under one import folder.
  tmp = await mkdtemp(path.join(os.tmpdir(), 'praxis-authoring-'));
  await cp(LAB_DIR, path.join(tmp, path.basename(LAB_DIR)), { recursive: true });
  // One instance in all: a run takes it, so a second run must be refused for capacity.
  ctx = await startTestApp(scope, { PRAXIS_MAX_INSTANCES: '1', PRAXIS_GC_INTERVAL: '5', PRAXIS_IMPORT_ROOT: tmp });
});
afterAll(async () => {
  await ctx?.close();
  // The runs destroy their instances; this only guards against a crash in the middle.
  for (const i of await listInstances(ctx.app.sandbox.docker)) if (i.scope === scope) await destroyInstance(ctx.app.sandbox.docker, i.id);
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

type Observation = { phase: string; rows: number; pending: number };
type Run = { id: string; status: string; labs: { lab: string; status: string; phase: string | null; failure: string | null }[]; rows: Row[]; totals: Record<string, number> };
type Row = { lab: string; question: string; kind: string; fresh: string | null; solved: string | null; expected: string | null; actual: string | null; ok: boolean; pending: boolean; detail: string; durationMs: number };

async function importLab(client: Client, slug: string, dir: string) {
  const res = await client.post('/api/banks/import', { slug, path: dir });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { bankId: string; version: number };
}

async function waitForRun(client: Client, runId: string, timeoutMs = 400_000): Promise<{ run: Run; phases: Set<string>; seen: Observation[] }> {
  const phases = new Set<string>();
  const seen: Observation[] = [];
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const res = await client.get(`/api/authoring-tests/${runId}`);
    expect(res.statusCode, res.body).toBe(200);
    const run = res.json() as Run;
    for (const l of run.labs) if (l.phase) phases.add(l.phase);
    const phase = run.labs.find((l) => l.status === 'running')?.phase;
    if (phase) seen.push({ phase, rows: run.rows.length, pending: run.rows.filter((r) => r.pending).length });
    if (run.status !== 'running') return { run, phases, seen };
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`run ${runId} did not finish in ${timeoutMs} ms`);
}

async function scopeContainers() {
  return ctx.app.sandbox.docker.listContainers({ all: true, filters: { label: [`praxis.scope=${scope}`] } });
}

describe('authoring test from the API', () => {
  it('proves the reference lab row by row, refuses a second run while it goes, and leaves no instance', async () => {
    const instructor = await signedInClient(ctx.app, 'instructor');
    const { bankId, version } = await importLab(instructor, 'routing', path.basename(LAB_DIR));
    const other = await importLab(instructor, 'routing-copy', path.basename(LAB_DIR));
    const t0 = performance.now();
    const started = await instructor.post(`/api/banks/${bankId}/versions/${version}/authoring-tests`);
    expect(started.statusCode, started.body).toBe(202);
    const runId = started.json().id as string;
    expect(started.headers.location).toBe(`/api/authoring-tests/${runId}`);
    expect(started.json()).toMatchObject({ status: 'running', labs: [{ lab: '01-switching-routing' }], rows: [] });

    const again = await instructor.post(`/api/banks/${bankId}/versions/${version}/authoring-tests`);
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toMatch(/problem\+json/);
    expect(again.json()).toMatchObject({ code: 'AUTHORING_TEST_RUNNING', runId });
    const full = await instructor.post(`/api/banks/${other.bankId}/versions/${other.version}/authoring-tests`);
    expect(full.statusCode).toBe(409);
    expect(full.json().code).toBe('CAPACITY_FULL');
    expect(full.json().detail).toContain('all 1 lab instances');

    // Once the machines are up, a collector sweep must leave the run's instance alone.
    for (let i = 0; i < 200; i++) {
      const phase = ((await instructor.get(`/api/authoring-tests/${runId}`)).json() as Run).labs[0]!.phase;
      if (phase && phase !== 'provisioning') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await ctx.app.sandbox.sweep();

    const waiting = waitForRun(instructor, runId);
    // The same once the spoof fixtures run, each on an instance of its own.
    for (let i = 0; i < 3000; i++) {
      const phase = ((await instructor.get(`/api/authoring-tests/${runId}`)).json() as Run).labs[0]!.phase ?? '';
      if (/^spoof \d+\//.test(phase)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await ctx.app.sandbox.sweep();
    const { run, phases, seen } = await waiting;
    const ms = Math.round(performance.now() - t0);
    expect(run.status, JSON.stringify(run.labs)).toBe('passed');
    expect(phases.size).toBeGreaterThan(1); // progress was visible while it ran
    // The spoof fixtures ran, each reported as it ended.
    expect([...phases].filter((p) => /^spoof \d+\/14: [a-z-]+\/[a-z-]+ held$/.test(p)).length, [...phases].join(' | ')).toBeGreaterThan(0);
    // Once the fresh phase is done, its rows show while the solutions run (tasks still pending).
    const afterFresh = seen.filter((o) => /solutions/.test(o.phase));
    expect(afterFresh.length, JSON.stringify(seen)).toBeGreaterThan(0);
    for (const o of afterFresh) expect(o).toMatchObject({ rows: 11, pending: 5 });
    expect(run.rows.filter((r) => r.pending)).toEqual([]);
    expect(run.rows.length).toBeGreaterThan(5);
    expect(run.rows.filter((r) => !r.ok)).toEqual([]);
    const tasks = run.rows.filter((r) => r.kind === 'task');
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((r) => r.fresh === 'failed' && r.solved === 'passed')).toBe(true);
    expect(run.rows.find((r) => r.question === 'router-mac')).toMatchObject({ expected: '02:42:c0:a8:01:06', actual: '02:42:c0:a8:01:06', ok: true });
    expect(run.totals).toMatchObject({ labs: 1, labsDone: 1, questions: run.rows.length, ok: run.rows.length, surprises: 0 });
    expect(await scopeContainers()).toHaveLength(0);

    const listed = await instructor.get(`/api/banks/${bankId}/versions/${version}/authoring-tests`);
    expect(listed.json().runs.map((r: Run) => r.id)).toEqual([runId]);
    console.log(`authoring test of 01-switching-routing through the API: ${ms} ms, ${run.rows.length} rows, phases: ${[...phases].join(' | ')}`);
  }, 420_000);

  it('reports a check that passes on fresh machines as a surprise with its reason', async () => {
    const dir = path.join(tmp, 'surprising');
    await mkdir(path.join(dir, 'questions'), { recursive: true });
    await writeFile(path.join(dir, 'intro.md'), 'A lab with a wrong check.\n');
    await writeFile(path.join(dir, 'questions', 'q.md'), '# Create /tmp/done\n');
    await writeFile(
      path.join(dir, 'lab.yaml'),
      `id: surprising
title: Surprising
summary: One honest check and one that grades nothing.
difficulty: easy
timeLimitMinutes: 5
topology:
  nodes:
    - { name: solo, hostname: solo-host }
questions:
  - id: good
    kind: task
    prompt: questions/q.md
    check: { node: solo, run: 'nodefile /tmp/done >/dev/null 2>&1 || fail "/tmp/done is missing"' }
    solve:
      - { node: solo, run: touch /tmp/done }
    explanation: touch it.
  - id: passes-fresh
    kind: task
    prompt: questions/q.md
    check: { node: solo, run: "exit 0" }
    solve:
      - { node: solo, run: "true" }
    explanation: Nothing to do.
  - id: hostname
    kind: answer
    prompt: questions/q.md
    expected:
      script: { node: solo, run: hostname }
    reference: not-the-hostname
    explanation: hostname.
`,
    );
    const instructor = await signedInClient(ctx.app, 'instructor');
    const { bankId, version } = await importLab(instructor, 'surprising', dir);
    const missing = await instructor.post(`/api/banks/${bankId}/versions/${version}/authoring-tests`, { lab: 'no-such-lab' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('LAB_NOT_FOUND');
    const started = await instructor.post(`/api/banks/${bankId}/versions/${version}/authoring-tests`, { lab: 'surprising' });
    expect(started.statusCode, started.body).toBe(202);
    // The event stream follows the run to its end (inject resolves when the stream ends).
    const events = instructor.get(`/api/authoring-tests/${started.json().id}/events`);
    const { run } = await waitForRun(instructor, started.json().id);
    expect(run.status).toBe('failed');
    const stream = await events;
    expect(stream.headers['content-type']).toMatch(/text\/event-stream/);
    const frames = stream.body.split('\n\n').filter((f) => f.startsWith('event: run')).map((f) => JSON.parse(f.split('data: ')[1]!) as Run);
    expect(frames.length).toBeGreaterThan(2);
    expect(frames[0]!.status).toBe('running');
    expect(frames.at(-1)).toMatchObject({ status: 'failed', totals: { surprises: 2 } });
    const row = Object.fromEntries(run.rows.map((r) => [r.question, r]));
    expect(row['good']).toMatchObject({ ok: true, fresh: 'failed', solved: 'passed' });
    expect(row['passes-fresh']).toMatchObject({ ok: false, fresh: 'passed' });
    expect(row['passes-fresh']!.detail).toContain('passes on fresh machines');
    expect(row['hostname']).toMatchObject({ ok: false, expected: 'not-the-hostname', actual: 'solo-host' });
    expect(run.totals).toMatchObject({ questions: 3, ok: 1, surprises: 2 });
    expect(await scopeContainers()).toHaveLength(0);
  });

  it('counts a running authoring test against the limit: a learner who starts meanwhile waits in the queue', async () => {
    const { testId, learner, instructor } = await setUpTest(ctx.app, { questions: ['router-mac'], timeLimitSeconds: 600, slug: 'routing-queue' });
    const { bankId, version } = await importLab(instructor, 'routing-queue-run', path.basename(LAB_DIR));
    const runId = (await instructor.post(`/api/banks/${bankId}/versions/${version}/authoring-tests`)).json().id as string;
    const alice = await learner();
    const started = await alice.post(`/api/tests/${testId}/attempts`);
    expect(started.statusCode, started.body).toBe(202);
    const attemptId = started.json().id as string;
    // The run holds the only instance: the attempt must not provision until it is done.
    const during = (await alice.get(`/api/attempts/${attemptId}`)).json();
    expect(during.status).toBe('queued');
    expect(during.queuePosition).toBe(1);
    const { run } = await waitForRun(instructor, runId);
    expect(run.status).toBe('passed');
    const active = await waitFor('the queued attempt to start', async () => {
      const a = (await alice.get(`/api/attempts/${attemptId}`)).json();
      return a.status === 'active' ? a : undefined;
    }, 60_000, 200);
    expect(active.nodes.length).toBe(3);
    expect((await alice.post(`/api/attempts/${attemptId}/submit`, {})).statusCode).toBeLessThan(300);
  }, 420_000);

  it('is for staff only, and an unknown run is a 404 with a sentence', async () => {
    const learner = await signedInClient(ctx.app, 'learner');
    expect((await learner.get('/api/authoring-tests/00000000-0000-4000-8000-000000000000')).statusCode).toBe(403);
    const instructor = await signedInClient(ctx.app, 'instructor');
    const res = await instructor.get('/api/authoring-tests/00000000-0000-4000-8000-000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'AUTHORING_TEST_NOT_FOUND', detail: expect.stringContaining('no authoring-test run') });
  });
});

// Two API processes of one deployment (PRAXIS_CLUSTER=1) on one real PostgreSQL and the real
// Docker engine, as two apps in this test process: one leader; queue claims that never pass the
// limit whichever process learners reach; events heard from either process; work of a process
// that is gone taken over (provisioning back to the queue, grading done again, authoring runs
// ended); sign-in limits, CSRF tokens and sessions shared; a lone process refusing to start beside
// another, and a process with another secret refused. The real-process proof with a load balancer
// and two engines is e2e/tests/scale-out.spec.ts.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { DeploymentError } from '../src/services/cluster/verify-deployment';
import { Client, signedInClient, startTestApp, type TestContext } from './api-helpers';
import { followEvents, removeScopeInstances, setUpTest, waitFor } from './attempt-helpers';

const SCOPE = 'api-cluster';
let ctx: TestContext;
let one: FastifyInstance;
let two: FastifyInstance;

beforeAll(async () => {
  ctx = await startTestApp(SCOPE, { PRAXIS_CLUSTER: '1', PRAXIS_MAX_INSTANCES: '2' });
  one = ctx.app;
  two = await buildApp(ctx.config, { logger: false });
  await two.ready();
});
afterAll(async () => {
  if (!ctx) return;
  await removeScopeInstances(one, SCOPE);
  await two?.close();
  await ctx.close();
});

/** The same browser (cookies) pointed at the other process. */
function via(client: Client, app: FastifyInstance): Client {
  const c = new Client(app);
  c.cookies = client.cookies;
  return c;
}

describe('two API processes on one database', () => {
  it('has exactly one leader, and says which in /metrics', async () => {
    await waitFor('a leader', async () => one.cluster.coordination.leader || two.cluster.coordination.leader, 5000);
    expect([one, two].filter((a) => a.cluster.coordination.leader)).toHaveLength(1);
    const leaders = await Promise.all([one, two].map(async (a) => /^praxis_leader 1$/m.test((await a.inject({ method: 'GET', url: '/metrics' })).body)));
    expect(leaders.filter(Boolean)).toHaveLength(1);
    expect(one.cluster.workerId).not.toBe(two.cluster.workerId);
  });

  it('never holds more instances than the limit, whichever process learners start on, and tells events from either', async () => {
    const { testId, learner, instructor } = await setUpTest(one, { questions: ['list-interfaces'], timeLimitSeconds: 600, slug: 'cluster' });
    const learners = await Promise.all([1, 2, 3, 4].map(() => learner()));
    // Half start through one process, half through the other, all at once.
    const started = await Promise.all(learners.map((l, i) => via(l, i % 2 ? two : one).post(`/api/tests/${testId}/attempts`)));
    expect(started.map((r) => r.statusCode)).toEqual([202, 202, 202, 202]);
    const ids = started.map((r) => r.json().id as string);
    const settled = await waitFor('two attempts active', async () => {
      const rows = await one.db.attempt.findMany({ where: { id: { in: ids } } });
      return rows.filter((a) => a.status === 'active').length === 2 ? rows : undefined;
    }, 60_000);
    expect(settled.filter((a) => a.status === 'queued')).toHaveLength(2);
    expect(await one.db.attemptInstance.count({ where: { attemptId: { in: ids }, attempt: { status: 'active' } } })).toBe(2);

    // A queued learner follows its attempt through process two; a learner on process one submits,
    // and whichever process claims the freed slot, the stream on two says "ready".
    const queued = settled.filter((a) => a.status === 'queued').sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0]!;
    const owner = learners[ids.indexOf(queued.id)]!;
    const events = followEvents(via(owner, two), queued.id);
    await new Promise((r) => setTimeout(r, 500));
    const active = settled.find((a) => a.status === 'active')!;
    const submitted = await via(learners[ids.indexOf(active.id)]!, one).post(`/api/attempts/${active.id}/submit`);
    expect(submitted.json().status).toBe('graded');
    const seen = await events;
    expect(seen[0]).toMatchObject({ event: 'queued', data: { position: 1 } });
    expect(seen.some((e) => e.event === 'progress')).toBe(true);
    expect(seen.at(-1)!.event).toBe('ready');

    // The capacity page answers the same from both processes.
    const admin = await signedInClient(one, 'admin');
    const [c1, c2] = await Promise.all([admin.get('/api/admin/capacity'), via(admin, two).get('/api/admin/capacity')]);
    expect(c1.json()).toMatchObject({ activeInstances: 2, maxInstances: 2, queueLength: 1 });
    expect(c2.json()).toEqual(c1.json());
    void instructor;
  });

  it('takes over the work of a process that is gone: provisioning back to the queue, grading done again', async () => {
    const gone = 2_000_000_001; // no process holds this worker id
    // As if the process provisioning the queued one had crashed after claiming it (both slots are
    // held by active attempts, so once back in the queue it stays there).
    const queued = await one.db.attempt.findFirstOrThrow({ where: { status: 'queued', test: { bank: { slug: 'cluster' } } } });
    const stale = 'px0000000001';
    await one.db.$transaction([
      one.db.attempt.update({ where: { id: queued.id }, data: { status: 'provisioning', workerId: gone } }),
      one.db.attemptInstance.create({ data: { attemptId: queued.id, lab: '01-switching-routing', instanceId: stale } }),
    ]);
    const requeued = await waitFor('the leader to queue it again', async () => {
      const a = await one.db.attempt.findUniqueOrThrow({ where: { id: queued.id }, include: { instances: true } });
      return a.status === 'queued' ? a : undefined;
    }, 30_000);
    expect(requeued.instances).toEqual([]);
    expect(requeued.workerId).toBeNull();

    // As if the process grading an active one had crashed: the leader grades it, and the slot it
    // frees goes to the attempt queued again, on a fresh instance.
    const active = await one.db.attempt.findFirstOrThrow({ where: { status: 'active', test: { bank: { slug: 'cluster' } } }, include: { instances: true } });
    await one.db.attempt.update({ where: { id: active.id }, data: { status: 'grading', workerId: gone, submittedAt: new Date(), endReason: 'submitted' } });
    const graded = await waitFor('the leader to grade it', async () => {
      const a = await one.db.attempt.findUniqueOrThrow({ where: { id: active.id } });
      return a.status === 'graded' ? a : undefined;
    }, 30_000);
    expect(graded.workerId).toBeNull();
    const ready = await waitFor('the queued one to be provisioned again', async () => {
      const a = await one.db.attempt.findUniqueOrThrow({ where: { id: queued.id }, include: { instances: true } });
      return a.status === 'active' ? a : undefined;
    }, 60_000);
    expect(ready.instances.map((i) => i.instanceId)).not.toContain(stale);
    expect(ready.workerId).toBeNull();
  });

  it('ends an authoring run whose process is gone, and any process shows it', async () => {
    const instructor = await signedInClient(one, 'instructor');
    const version = await one.db.bankVersion.findFirstOrThrow({ where: { bank: { slug: 'cluster' } } });
    const runId = '00000000-0000-4000-8000-00000000c1a5';
    const view = {
      id: runId, bankId: version.bankId, version: version.version, status: 'running', startedAt: new Date().toISOString(), finishedAt: null,
      labs: [{ lab: '01-switching-routing', status: 'running', phase: 'fresh checks', failure: null, provisionMs: null, durationMs: null }],
      rows: [], totals: { labs: 1, labsDone: 0, questions: 1, ok: 0, surprises: 0, durationMs: 0 },
    };
    await one.db.bank.update({ where: { id: version.bankId }, data: { ownerId: instructor.userId } });
    await one.db.authoringRun.create({ data: { id: runId, bankVersionId: version.id, status: 'running', view, workerId: 2_000_000_002, engineId: 'default' } });
    const ended = await waitFor('the run to be ended', async () => {
      const run = (await via(instructor, two).get(`/api/authoring-tests/${runId}`)).json() as { status: string; labs: unknown[] };
      return run.status === 'failed' ? run : undefined;
    }, 15_000);
    expect(ended.labs[0]).toMatchObject({ status: 'failed', failure: expect.stringContaining('server process running this test stopped') });
    expect((await instructor.get(`/api/authoring-tests/${runId}`)).json()).toEqual(ended);
  });

  it('shares sessions, CSRF tokens and the sign-in rate limit between processes', async () => {
    const learner = await signedInClient(one, 'learner');
    // Signed in and given a CSRF token by one, the browser is known to the other.
    expect((await via(learner, two).get('/api/auth/me')).statusCode).toBe(200);
    expect((await via(learner, two).put('/api/attempts/00000000-0000-4000-8000-000000000000/questions/1/flag', { flagged: true })).json().code).not.toBe('CSRF_INVALID');

    const csrf = (await one.inject({ method: 'GET', url: '/api/auth/csrf' })).json().csrfToken as string;
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await (i % 2 ? two : one).inject({
        method: 'POST', url: '/api/auth/sign-in', remoteAddress: '127.0.0.99',
        cookies: { praxis_csrf: csrf }, headers: { 'x-csrf-token': csrf }, payload: { email: 'nobody@example.test', password: 'x' },
      });
      codes.push(res.statusCode);
    }
    // Ten tries in all, not ten per process.
    expect(codes.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(codes.slice(10)).toEqual([429, 429]);
  });

  it('refuses a lone process beside the others, and a process with another secret', async () => {
    const lone = loadConfig({ DATABASE_URL: ctx.database.url, PRAXIS_SCOPE: SCOPE, PRAXIS_DATA_DIR: ctx.config.dataDir, LOG_LEVEL: 'silent' });
    await expect(buildApp(lone, { logger: false }).then((a) => a.ready())).rejects.toMatchObject({ code: 'ANOTHER_PROCESS_RUNNING' });
    const other = loadConfig({ PRAXIS_CLUSTER: '1', DATABASE_URL: ctx.database.url, PRAXIS_SECRET: 'another-secret-0123456789abcdef0123456789', PRAXIS_SCOPE: SCOPE, PRAXIS_DATA_DIR: ctx.config.dataDir, LOG_LEVEL: 'silent' });
    const refused = await buildApp(other, { logger: false }).then((a) => a.ready()).then(() => undefined, (e: unknown) => e);
    expect(refused).toBeInstanceOf(DeploymentError);
    expect(refused).toMatchObject({ code: 'SECRET_MISMATCH', message: expect.stringContaining('give every process the same secret') });
  });
});

describe('start-up work of processes that start together', () => {
  it('imports the seed bank and creates the configured admin once', async () => {
    const fresh = await startTestApp('api-cluster-seed', { PRAXIS_CLUSTER: '1' });
    await fresh.app.close();
    const env = { ...fresh.config, seedLabsDir: ctx.config.importRoot, admin: { email: 'boss@example.test', password: 'a long and unusual passphrase' } };
    try {
      const apps = await Promise.all([buildApp(env, { logger: false }), buildApp(env, { logger: false }), buildApp(env, { logger: false })]);
      await Promise.all(apps.map((a) => a.ready()));
      const db = apps[0]!.db;
      expect(await db.bank.count()).toBe(1);
      expect(await db.test.count()).toBe((await db.bankVersion.findFirstOrThrow()).labs.length);
      expect(await db.user.count({ where: { role: 'admin' } })).toBe(1);
      for (const a of apps) await a.close();
    } finally {
      await fresh.close();
    }
  });
});

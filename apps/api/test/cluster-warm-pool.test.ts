// The warm pool of a deployment of two API processes (PRAXIS_CLUSTER=1) on one real PostgreSQL
// and the real Docker engine, as two apps in this test process: only the leader fills the pool,
// within the engine's capacity; learners starting at once through both processes each get a
// different instance (a warm one handed to one learner only); claims racing on the ledger's rows
// never return one row twice; the rows of an engine that goes down are dropped and its instances
// left to the collector. The admin's engine view counts the pool's instances and the nodes running
// on the engine. The single-process pool (adoption after a restart, sizes by test and lab)
// is attempt-warm-pool.test.ts.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listInstances } from '@praxis/sandbox';
import { buildApp } from '../src/app';
import { claimWarmInstance } from '../src/services/attempts/warm-pools';
import { countHeldByEngine } from '../src/services/engines/engine-load';
import { Client, signedInClient, startTestApp, type TestContext } from './api-helpers';
import { removeScopeInstances, setUpTest, waitFor } from './attempt-helpers';

const SCOPE = 'api-cluster-warm';
const CAPACITY = 3;
let ctx: TestContext;
let one: FastifyInstance;
let two: FastifyInstance;

beforeAll(async () => {
  ctx = await startTestApp(SCOPE, { PRAXIS_CLUSTER: '1', PRAXIS_MAX_INSTANCES: String(CAPACITY), PRAXIS_WARM_POOL: '2' });
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

function via(client: Client, app: FastifyInstance): Client {
  const c = new Client(app);
  c.cookies = client.cookies;
  return c;
}

const leaderOf = () => (one.cluster.coordination.leader ? one : two);
const followerOf = () => (one.cluster.coordination.leader ? two : one);
/** Instances the learners hold plus the pool's rows, on the one engine. */
async function heldAndWarm(): Promise<number> {
  const held = (await countHeldByEngine(one.db)).get('default') ?? 0;
  return held + (await one.db.warmInstance.count({ where: { engineId: 'default' } }));
}

describe('the warm pool of two API processes', () => {
  let testId: string;
  let learner: () => Promise<Client>;

  it('is filled by the leader alone, recorded with its engine, within the engine\'s capacity', async () => {
    ({ testId, learner } = await setUpTest(one, { questions: ['list-interfaces'], timeLimitSeconds: 600 }));
    await waitFor('a leader', async () => one.cluster.coordination.leader || two.cluster.coordination.leader, 5000);
    // Both are asked; the follower does nothing.
    await Promise.all([one, two].map((a) => a.attempts.refreshPools()));
    await Promise.all([one, two].map((a) => a.attempts.pool.settled()));
    const warm = leaderOf().attempts.pool.ids();
    expect(warm).toHaveLength(2);
    expect(followerOf().attempts.pool.ids({ provisioning: true })).toEqual([]);
    const rows = await one.db.warmInstance.findMany({ orderBy: { instanceId: 'asc' } });
    expect(rows.map((r) => [r.instanceId, r.engineId, r.ready])).toEqual([...warm].sort().map((id) => [id, 'default', true]));
    expect(await heldAndWarm()).toBeLessThanOrEqual(CAPACITY);
  });

  it('hands each waiting instance to one learner only when learners start at once through both processes', async () => {
    const warm = new Set((await one.db.warmInstance.findMany({ where: { ready: true } })).map((r) => r.instanceId));
    expect(warm.size).toBe(2);
    const learners = await Promise.all([1, 2, 3].map(() => learner()));
    const started = await Promise.all(learners.map((l, i) => via(l, i % 2 ? two : one).post(`/api/tests/${testId}/attempts`)));
    expect(started.map((r) => r.statusCode)).toEqual([202, 202, 202]);
    const ids = started.map((r) => r.json().id as string);
    await waitFor('three attempts active', async () => (await one.db.attempt.count({ where: { id: { in: ids }, status: 'active' } })) === 3, 120_000);
    const instances = (await one.db.attemptInstance.findMany({ where: { attemptId: { in: ids } } })).map((i) => i.instanceId);
    expect(new Set(instances).size).toBe(3);
    const fromPool = instances.filter((id) => warm.has(id));
    expect(fromPool.length).toBeGreaterThanOrEqual(1);
    // Claimed out of the ledger; whatever the pool still holds is neither of them.
    expect(await one.db.warmInstance.count({ where: { instanceId: { in: fromPool } } })).toBe(0);
    // Every slot is a learner's now: the leader's refill made nothing past the capacity.
    await leaderOf().attempts.pool.settled();
    await leaderOf().attempts.refreshPools();
    await leaderOf().attempts.pool.settled();
    expect(await heldAndWarm()).toBeLessThanOrEqual(CAPACITY);
    const live = (await listInstances(one.sandbox.docker)).filter((i) => i.scope === SCOPE);
    expect(live.length).toBeLessThanOrEqual(CAPACITY);
    // The admin sees, from either process, the learners' instances, the pool's, and the nodes
    // running on the engine (every node of every live instance of this deployment).
    const admin = await signedInClient(two, 'admin');
    const [engine] = (await admin.get('/api/admin/engines')).json().engines;
    expect(engine).toMatchObject({ id: 'default', status: 'up', held: 3, warm: await one.db.warmInstance.count(), nodesRunning: live.reduce((n, i) => n + i.nodes.length, 0) });
    expect(engine.nodesRunning).toBeGreaterThanOrEqual(3);
    for (const [i, l] of learners.entries()) await via(l, i % 2 ? two : one).post(`/api/attempts/${ids[i]}/submit`);
    // The slots are free again: the pool fills back to its size.
    await leaderOf().attempts.refreshPools();
    await leaderOf().attempts.pool.settled();
    expect(await one.db.warmInstance.count({ where: { ready: true } })).toBe(2);
  });

  it('never returns one row to two claims racing from both processes', async () => {
    const key = 'race-test-topology';
    const rows = Array.from({ length: 6 }, (_, i) => ({ instanceId: `racewarm${i}`, topologyKey: key, engineId: 'default', ready: true, readyAt: new Date() }));
    await one.db.warmInstance.createMany({ data: rows });
    try {
      // Twelve claims at once, six through each process's own connection pool.
      const claims = await Promise.all(
        Array.from({ length: 12 }, (_, i) => (i % 2 ? two : one).db.$transaction(async (tx) => {
          const id = await claimWarmInstance(tx, key, 'default');
          // Hold the row lock a moment, as a claim that records the attempt does.
          await tx.$executeRaw`SELECT pg_sleep(0.05)`;
          return id;
        })),
      );
      const got = claims.filter((c): c is string => c !== undefined);
      expect(got.sort()).toEqual(rows.map((r) => r.instanceId).sort());
      expect(claims.filter((c) => c === undefined)).toHaveLength(6);
    } finally {
      await one.db.warmInstance.deleteMany({ where: { topologyKey: key } });
    }
  });

  it('drops the rows of an engine that is down; the collector removes their instances once it answers', async () => {
    const leader = leaderOf();
    const warm = leader.attempts.pool.ids();
    expect(warm).toHaveLength(2);
    await one.db.engine.update({ where: { id: 'default' }, data: { status: 'down', downSince: new Date() } });
    try {
      await leader.attempts.refreshPools();
      expect(await one.db.warmInstance.count()).toBe(0);
      expect(leader.attempts.pool.ids({ provisioning: true })).toEqual([]);
    } finally {
      await one.db.engine.update({ where: { id: 'default' }, data: { status: 'up', downSince: null } });
    }
    await leader.sandbox.sweep();
    const live = new Set((await listInstances(one.sandbox.docker)).map((i) => i.id));
    expect(warm.filter((id) => live.has(id))).toEqual([]);
  });
});

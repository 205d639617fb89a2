// The warm pool through the API: with PRAXIS_WARM_POOL=1 the server keeps one instance of the
// open test's lab provisioned; a learner's attempt takes it (ready without provisioning), the
// pool refills behind it, and the pool's instances count against the instance limit; a practice
// reset takes a warm instance as well. The size is set by the test, else the lab, else the
// environment. The pool lives in the database: a restarted server adopts the waiting instance
// instead of collecting it (two pools on one record never share an instance: instance-pool.test.ts).
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getInstance, topologyKey } from '@praxis/sandbox';
import { warmPoolTargets } from '../src/services/attempts/warm-pools';
import { readBankContent } from '../src/services/banks/bank-content';
import { Client, signedInClient } from './api-helpers';
import { followEvents, LAB_DIR, setUpTest, useAttemptApp, waitFor } from './attempt-helpers';

const SCOPE = 'api-warm-pool';
// The course's first lab twice under an import root of the file's own: as it is, and with
// `warmPool: 2` in its lab.yaml.
const importRoot = await mkdtemp(path.join(os.tmpdir(), 'praxis-warm-'));
await cp(LAB_DIR, path.join(importRoot, path.basename(LAB_DIR)), { recursive: true });
const labWithPool = path.join(importRoot, 'lab-with-pool');
await cp(LAB_DIR, labWithPool, { recursive: true });
await writeFile(path.join(labWithPool, 'lab.yaml'), `${await readFile(path.join(LAB_DIR, 'lab.yaml'), 'utf8')}\nwarmPool: 2\n`);
afterAll(() => rm(importRoot, { recursive: true, force: true }));

const ctx = useAttemptApp(SCOPE, { PRAXIS_WARM_POOL: '1', PRAXIS_MAX_INSTANCES: '3', PRAXIS_IMPORT_ROOT: importRoot });

/** The same signed-in browser, pointed at another app. */
function reconnect(client: Client, app: Client['app']): Client {
  const c = new Client(app);
  c.cookies = new Map(client.cookies);
  return c;
}

describe('warm pool', () => {
  it('hands a provisioned instance to the next attempt and refills; a practice reset takes one too', async () => {
    const { testId, learner } = await setUpTest(ctx.app, { questions: ['list-interfaces'], timeLimitSeconds: 600 });
    const { pool, refreshPools } = ctx.app.attempts;
    await refreshPools();
    await pool.settled();
    const [warm] = pool.ids();
    expect(warm).toBeDefined();
    expect(await ctx.app.sandbox.knownInstanceIds!()).toContain(warm);
    expect(await ctx.app.db.warmInstance.findUnique({ where: { instanceId: warm! } })).toMatchObject({ ready: true });

    const alice = await learner();
    const started = await alice.post(`/api/tests/${testId}/attempts`);
    const attemptId = started.json().id as string;
    const events = await followEvents(alice, attemptId);
    expect(events.at(-1)).toMatchObject({ event: 'ready' });
    expect(Number(events.at(-1)!.data.provisionMs)).toBeLessThan(1500);
    const view = (await alice.get(`/api/attempts/${attemptId}`)).json();
    expect(view.instanceId).toBe(warm);
    expect((await getInstance(ctx.app.sandbox.docker, warm!))?.ready).toBe(true);
    // Out of the pool's record, into the attempt's, in one step.
    expect(await ctx.app.db.warmInstance.findUnique({ where: { instanceId: warm! } })).toBeNull();

    // The pool refills into a spare slot (limit 3: Alice's instance and the pool's)...
    await pool.settled();
    expect(pool.ids()).toHaveLength(1);
    const [refilled] = pool.ids();
    expect(refilled).not.toBe(warm);
    // ...which Bob's attempt takes; the pool refills into the last slot, gives it back to Carol,
    // and with every slot held by learners a fourth learner waits in the queue.
    const bob = await learner();
    const second = await bob.post(`/api/tests/${testId}/attempts`);
    expect((await followEvents(bob, second.json().id)).at(-1)).toMatchObject({ event: 'ready' });
    expect((await bob.get(`/api/attempts/${second.json().id}`)).json().instanceId).toBe(refilled);
    await pool.settled();
    const carol = await learner();
    const third = await carol.post(`/api/tests/${testId}/attempts`);
    expect((await followEvents(carol, third.json().id)).at(-1)).toMatchObject({ event: 'ready' });
    await pool.settled();
    expect(pool.size()).toBe(0);
    const dave = await learner();
    const fourth = await dave.post(`/api/tests/${testId}/attempts`);
    expect(fourth.json().status).toBe('queued');
    await dave.post(`/api/attempts/${fourth.json().id}/cancel`);

    // A practice reset takes a warm instance too: Bob's submit frees a slot, the pool refills it,
    // and Alice's reset is on that instance at once; her old one is gone.
    await bob.post(`/api/attempts/${second.json().id}/submit`);
    await refreshPools();
    await pool.settled();
    const [spare] = pool.ids();
    expect(spare).toBeDefined();
    const reset = await alice.post(`/api/attempts/${attemptId}/labs/01-switching-routing/reset`);
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json().instanceId).toBe(spare);
    expect(await getInstance(ctx.app.sandbox.docker, warm!)).toBeUndefined();
    // Claimed out of the pool's record as a start's is.
    expect(await ctx.app.db.warmInstance.findUnique({ where: { instanceId: spare! } })).toBeNull();
    for (const [c, a] of [[alice, attemptId], [carol, third.json().id]] as const) await c.post(`/api/attempts/${a}/submit`);
  });

  it('takes its size from the test, else the lab, else PRAXIS_WARM_POOL', async () => {
    // Only this test's lab counts here: the earlier tests are closed (their lab's topology is the same).
    await ctx.app.db.test.updateMany({ data: { availableFrom: new Date(Date.now() - 60_000), availableUntil: new Date(Date.now() - 1000) } });
    const instructor = await signedInClient(ctx.app, 'instructor');
    const bank = (await instructor.post('/api/banks/import', { slug: 'lab-with-pool', path: 'lab-with-pool' })).json();
    const created = await instructor.post('/api/tests', {
      title: 'Pooled by its lab',
      bankId: bank.bankId,
      lab: 'lab-with-pool',
      timeLimitSeconds: 600,
      selection: { mode: 'fixed', questions: ['list-interfaces'] },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().warmPool).toBeNull();
    const version = await ctx.app.db.bankVersion.findFirstOrThrow({ where: { bankId: bank.bankId } });
    const key = topologyKey(readBankContent(version).labs[0]!.topology);
    const sizeOf = async () => (await warmPoolTargets(ctx.app.db, ctx.config.warmPool)).get(key)?.size;
    const patch = (body: object) => instructor.patch(`/api/tests/${created.json().id}`, body);

    // The lab's own two win over the environment's one...
    expect(await sizeOf()).toBe(2);
    // ...the test's setting wins over the lab's, 0 included (nothing kept warm for this test)...
    expect((await patch({ warmPool: 0 })).json().warmPool).toBe(0);
    expect(await sizeOf()).toBe(0);
    expect((await patch({ warmPool: 3 })).json().warmPool).toBe(3);
    expect(await sizeOf()).toBe(3);
    // ...within bounds, with an error that names the field...
    const tooMany = await patch({ warmPool: 9 });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.body).toMatch(/warmPool/);
    // ...and null gives the choice back to the lab.
    expect((await patch({ warmPool: null })).json().warmPool).toBeNull();
    expect(await sizeOf()).toBe(2);
    // A test closed to learners keeps nothing warm.
    await patch({ availableFrom: new Date(Date.now() - 60_000).toISOString(), availableUntil: new Date(Date.now() - 1000).toISOString() });
    expect(await sizeOf()).toBeUndefined();
  });

  it('keeps its waiting instance across a restart, spared by the collector and handed to the next learner', async () => {
    const { testId, learner } = await setUpTest(ctx.app, { questions: ['list-interfaces'], timeLimitSeconds: 600, slug: 'restart' });
    await ctx.app.attempts.refreshPools();
    await ctx.app.attempts.pool.settled();
    const [warm] = ctx.app.attempts.pool.ids();
    expect(warm).toBeDefined();
    const erin = await learner();

    // A restart: the old server's pool leaves its ready instance in the database; the new one's
    // collector (at start-up and after) spares it and its pool adopts it instead of building another.
    await ctx.app.close();
    const a = await ctx.restart();
    ctx.app = a;
    await a.attempts.pool.settled();
    expect(a.attempts.pool.ids()).toEqual([warm]);
    await a.sandbox.sweep();
    expect((await getInstance(a.sandbox.docker, warm!))?.ready).toBe(true);

    // The next learner gets it, out of the pool's record and into the attempt's.
    const e = await reconnect(erin, a).post(`/api/tests/${testId}/attempts`);
    await waitFor('the attempt is ready', async () => (await a.db.attempt.findUnique({ where: { id: e.json().id } }))?.status === 'active', 90_000);
    expect((await a.db.attemptInstance.findFirstOrThrow({ where: { attemptId: e.json().id } })).instanceId).toBe(warm);
    expect(await a.db.warmInstance.findUnique({ where: { instanceId: warm! } })).toBeNull();
    await reconnect(erin, a).post(`/api/attempts/${e.json().id}/submit`);
  });
});

// The warm pool through the API: with PRAXIS_WARM_POOL=1 the server keeps one instance of the
// open test's lab provisioned; a learner's attempt takes it (ready without provisioning), the
// pool refills behind it, and the pool's instances count against the instance limit; a practice
// reset takes a warm instance as well.
import { describe, expect, it } from 'vitest';
import { getInstance } from '@praxis/sandbox';
import { followEvents, setUpTest, useAttemptApp } from './attempt-helpers';

const SCOPE = 'api-warm-pool';
const ctx = useAttemptApp(SCOPE, { PRAXIS_WARM_POOL: '1', PRAXIS_MAX_INSTANCES: '2' });

describe('warm pool', () => {
  it('hands a provisioned instance to the next attempt and refills; a practice reset takes one too', async () => {
    const { testId, learner } = await setUpTest(ctx.app, { questions: ['list-interfaces'], timeLimitSeconds: 600 });
    const { pool, refreshPools } = ctx.app.attempts;
    await refreshPools();
    await pool.settled();
    const [warm] = pool.ids();
    expect(warm).toBeDefined();
    expect(await ctx.app.sandbox.knownInstanceIds!()).toContain(warm);

    const alice = await learner();
    const started = await alice.post(`/api/tests/${testId}/attempts`);
    const attemptId = started.json().id as string;
    const events = await followEvents(alice, attemptId);
    expect(events.at(-1)).toMatchObject({ event: 'ready' });
    expect(Number(events.at(-1)!.data.provisionMs)).toBeLessThan(1500);
    const view = (await alice.get(`/api/attempts/${attemptId}`)).json();
    expect(view.instanceId).toBe(warm);
    expect((await getInstance(ctx.app.sandbox.docker, warm!))?.ready).toBe(true);

    // The pool refills into the spare slot (limit 2: Alice's instance and the pool's)...
    await pool.settled();
    expect(pool.ids()).toHaveLength(1);
    const [refilled] = pool.ids();
    expect(refilled).not.toBe(warm);
    // ...which Bob's attempt takes; with both slots held by learners, the pool stays empty and
    // a third learner waits in the queue.
    const bob = await learner();
    const second = await bob.post(`/api/tests/${testId}/attempts`);
    expect((await followEvents(bob, second.json().id)).at(-1)).toMatchObject({ event: 'ready' });
    expect((await bob.get(`/api/attempts/${second.json().id}`)).json().instanceId).toBe(refilled);
    await pool.settled();
    expect(pool.size()).toBe(0);
    const carol = await learner();
    const third = await carol.post(`/api/tests/${testId}/attempts`);
    expect(third.json().status).toBe('queued');
    await carol.post(`/api/attempts/${third.json().id}/cancel`);

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
  });
});

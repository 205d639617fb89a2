// Restart safety and capacity against real PostgreSQL and Docker: a new app on the same database
// keeps a running attempt and its machines, catches up on a deadline that passed while it was
// down, and a full host queues learners with a position instead of refusing them.
import { describe, expect, it } from 'vitest';
import { getInstance } from '@praxis/sandbox';
import { Client } from './api-helpers';
import { followEvents, setUpTest, useAttemptApp, waitFor } from './attempt-helpers';

const SCOPE = 'api-attempt-restart';
const ctx = useAttemptApp(SCOPE, { PRAXIS_MAX_INSTANCES: '1' });

/** The same signed-in browser, pointed at another app instance. */
function reconnect(client: Client, app: Client['app']): Client {
  const c = new Client(app);
  c.cookies = new Map(client.cookies);
  return c;
}

describe('restart and capacity', () => {
  it('keeps an attempt and its machines across a restart, and catches up on a missed deadline', async () => {
    const { testId, learner } = await setUpTest(ctx.app, { questions: ['list-interfaces', 'route-on-a'], timeLimitSeconds: 8 });
    const carol = await learner();
    const attemptId = (await carol.post(`/api/tests/${testId}/attempts`)).json().id as string;
    expect((await followEvents(carol, attemptId)).at(-1)!.event).toBe('ready');
    await carol.put(`/api/attempts/${attemptId}/answers/1`, { answer: ['a'] });
    const before = (await carol.get(`/api/attempts/${attemptId}`)).json();

    await ctx.app.close();
    const app2 = await ctx.restart();
    const carol2 = reconnect(carol, app2);
    const after = (await carol2.get(`/api/attempts/${attemptId}`)).json();
    expect(after).toMatchObject({ status: 'active', instanceId: before.instanceId, deadlineAt: before.deadlineAt });
    expect(after.questions[0].answer).toEqual(['a']);
    // The new app's collector ran at start-up and left the live attempt's machines alone.
    expect((await getInstance(app2.sandbox.docker, before.instanceId))?.ready).toBe(true);

    // Down again, across the deadline: the next start grades it at once.
    await app2.close();
    await new Promise((r) => setTimeout(r, Math.max(0, new Date(before.deadlineAt).getTime() - Date.now()) + 500));
    const t0 = Date.now();
    const app3 = await ctx.restart();
    const graded = await waitFor('catch-up grading', async () => {
      const a = await app3.db.attempt.findUniqueOrThrow({ where: { id: attemptId } });
      return a.status === 'graded' ? a : undefined;
    }, 30_000);
    console.log(`missed deadline graded ${Date.now() - t0} ms after the restart`);
    expect(graded).toMatchObject({ endReason: 'deadline', score: 1 });
    // Ended at its deadline, not when the server came back.
    expect(graded.submittedAt).toEqual(new Date(before.deadlineAt));
    ctx.app = app3;
    // Torn down right after the result is stored.
    await waitFor('teardown', async () => (await getInstance(app3.sandbox.docker, before.instanceId)) === undefined, 10_000);
  });

  it('queues a learner with a position when the host is at capacity', async () => {
    const app = ctx.app;
    const { testId, learner } = await setUpTest(app, { questions: ['list-interfaces'], timeLimitSeconds: 600, slug: 'queue' });
    const dave = await learner();
    const erin = await learner();
    const first = (await dave.post(`/api/tests/${testId}/attempts`)).json();
    const second = await erin.post(`/api/tests/${testId}/attempts`);
    expect(second.statusCode).toBe(202);
    expect(second.json()).toMatchObject({ status: 'queued', queuePosition: 1 });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).body).toMatch(/praxis_attempts_queued 1/);
    // A third learner queues behind Erin, then leaves the queue.
    const frank = await learner();
    const third = (await frank.post(`/api/tests/${testId}/attempts`)).json();
    expect(third).toMatchObject({ status: 'queued', queuePosition: 2 });
    expect((await frank.post(`/api/attempts/${third.id}/cancel`)).json()).toMatchObject({ status: 'cancelled', queuePosition: null });
    expect((await dave.post(`/api/attempts/${first.id}/cancel`)).json().code).toBe('ATTEMPT_NOT_QUEUED');
    expect((await followEvents(dave, first.id)).at(-1)!.event).toBe('ready');
    // Erin's stream says she is queued, then follows her lab to ready once Dave submits.
    const erinEvents = followEvents(erin, second.json().id);
    await dave.post(`/api/attempts/${first.id}/submit`);
    const events = await erinEvents;
    expect(events[0]).toMatchObject({ event: 'queued', data: { position: 1 } });
    expect(events.map((e) => e.event)).toContain('progress');
    expect(events.at(-1)!.event).toBe('ready');
    await erin.post(`/api/attempts/${second.json().id}/submit`);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/praxis_provision_seconds_count [1-9]/);
    expect(metrics).toMatch(/praxis_grading_seconds_count [1-9]/);
  });
});

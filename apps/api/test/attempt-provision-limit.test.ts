// Provisioning a few at a time (PRAXIS_PROVISION_CONCURRENCY): learners who start together are
// claimed together (each holds its slot and its place), but their instances are made one after
// the other here (a limit of 1), watched on the real engine: never two instances of the file's
// scope half-made at once. Without the limit every start of a burst provisions at once and each
// takes the whole burst's time (bench/load.bench.ts), starving Checks and terminals meanwhile.
import { describe, expect, it } from 'vitest';
import { listInstances } from '@praxis/sandbox';
import { followEvents, setUpTest, useAttemptApp } from './attempt-helpers';

const SCOPE = 'api-provision-limit';
const ctx = useAttemptApp(SCOPE, { PRAXIS_PROVISION_CONCURRENCY: '1', PRAXIS_MAX_INSTANCES: '3' });

describe('provisioning concurrency', () => {
  it('makes the instances of learners who start at once one at a time, and every one becomes ready', async () => {
    expect(ctx.config.provisionConcurrency).toBe(1);
    const { testId, learner } = await setUpTest(ctx.app, { questions: ['list-interfaces'], timeLimitSeconds: 600 });
    const learners = await Promise.all([1, 2, 3].map(() => learner()));
    // Watch the engine while they provision: how many of the scope's instances are half-made.
    let watching = true;
    let most = 0;
    let seen = 0;
    const watch = (async () => {
      while (watching) {
        const mine = (await listInstances(ctx.app.sandbox.docker)).filter((i) => i.scope === SCOPE);
        most = Math.max(most, mine.filter((i) => !i.ready).length);
        seen = Math.max(seen, mine.length);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const started = await Promise.all(learners.map((l) => l.post(`/api/tests/${testId}/attempts`)));
    expect(started.map((r) => r.statusCode)).toEqual([202, 202, 202]);
    const ends = await Promise.all(started.map((r, i) => followEvents(learners[i]!, r.json().id)));
    watching = false;
    await watch;
    expect(ends.map((e) => e.at(-1)?.event)).toEqual(['ready', 'ready', 'ready']);
    expect(seen).toBe(3);
    expect(most).toBe(1);
    for (const [i, r] of started.entries()) await learners[i]!.post(`/api/attempts/${r.json().id}/submit`);
    // Three provisionings in a row, each waiting for the one before: on a busy machine that is slow.
  }, 240_000);
});

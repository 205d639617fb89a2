// The run book-keeping without Docker: refusals (capacity, queued learners, unknown lab) and the
// bound of kept runs. Versions without labs finish at once, so no machine is ever touched.
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { Lab } from '@praxis/labs';
import { AuthoringTestRuns, RUNS_KEPT, type CapacityView } from './authoring-test-runs';

const log = { info() {}, error() {} };
const runs = (capacity: CapacityView, maxInstances = 4) =>
  new AuthoringTestRuns({ docker: {} as Docker, images: {}, scope: 'unit', maxInstances, capacity: async () => capacity, log });
const version = (n: number, labs: Lab[] = []) => ({ id: `v${n}`, bankId: 'b', version: n, labs });

describe('AuthoringTestRuns', () => {
  it('refuses with CAPACITY_FULL when learners hold every instance, naming the numbers', async () => {
    await expect(runs({ held: 4, queued: 0 }).start(version(1))).rejects.toMatchObject({
      status: 409,
      code: 'CAPACITY_FULL',
      message: expect.stringContaining('all 4 lab instances of this server are in use (4 by learners, 0 by authoring tests)'),
    });
  });

  it('lets learners waiting in the queue go first even when an instance is free', async () => {
    await expect(runs({ held: 1, queued: 2 }).start(version(1))).rejects.toMatchObject({ code: 'CAPACITY_FULL', message: expect.stringContaining('2 learner(s) waiting') });
  });

  it('refuses a lab the version does not have', async () => {
    await expect(runs({ held: 0, queued: 0 }).start(version(3), 'nope')).rejects.toMatchObject({ status: 404, code: 'LAB_NOT_FOUND', message: 'bank version 3 has no lab "nope"' });
  });

  it(`keeps the newest ${RUNS_KEPT} runs`, async () => {
    const r = runs({ held: 0, queued: 0 });
    const ids: string[] = [];
    for (let i = 1; i <= RUNS_KEPT + 5; i++) ids.push((await r.start(version(i))).id);
    expect(r.get(ids[0]!)).toBeUndefined();
    expect(r.get(ids[4]!)).toBeUndefined();
    expect(r.get(ids[5]!)?.status).toBe('passed');
    expect(r.get(ids.at(-1)!)?.version).toBe(RUNS_KEPT + 5);
    expect(r.listFor(`v${RUNS_KEPT + 5}`)).toHaveLength(1);
  });

  it('refuses new runs once closing', async () => {
    const r = runs({ held: 0, queued: 0 });
    await r.close();
    await expect(r.start(version(1))).rejects.toMatchObject({ status: 503, code: 'SHUTTING_DOWN' });
  });
});

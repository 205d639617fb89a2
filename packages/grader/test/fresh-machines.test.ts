// Fresh machines for `lab test`'s isolated tasks and spoof fixtures, against the real engine: with
// a look-ahead the next instance is made while one is in use, never more than one ahead, each
// handed out once and destroyed after; those made ahead and never taken are destroyed on close.
import { afterAll, describe, expect, it } from 'vitest';
import { listInstances } from '@praxis/sandbox';
import { FreshMachines } from '../src';
import { destroyScope, docker, newScope } from './helpers';

const scope = newScope('fresh');
const topology = { nodes: [{ name: 'a' }], segments: [], links: [] };
afterAll(() => destroyScope(scope));

async function live(): Promise<string[]> {
  return (await listInstances(docker)).filter((i) => i.scope === scope).map((i) => i.id);
}

describe('fresh machines', () => {
  it('makes the next instance while one is in use, one ahead at most, and destroys what was not taken', async () => {
    const told: string[] = [];
    const machines = new FreshMachines(docker, topology, 3, { scope, ahead: 1, onInstance: (id, up) => told.push(`${up ? '+' : '-'}${id}`) });
    const first = machines.take();
    await first.ready;
    // The second is being made (or made) while the first is in use; the third is not started.
    expect(told).toHaveLength(2);
    const second = told[1]!.slice(1);
    await machines.release(first);
    expect(await live()).not.toContain(first.instanceId);
    const next = machines.take();
    expect(next.instanceId).toBe(second);
    await next.ready;
    expect(await live()).toContain(second);
    expect(told.filter((t) => t.startsWith('+'))).toHaveLength(3);
    await machines.release(next);
    // The third was made ahead and never taken: close destroys it.
    await machines.close();
    expect(await live()).toEqual([]);
    expect(told.filter((t) => t.startsWith('-'))).toHaveLength(3);
    expect(() => machines.take()).toThrow(/closed/);
  });
});

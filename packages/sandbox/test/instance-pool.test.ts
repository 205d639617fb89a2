// The warm pool on the real engine: instances provisioned ahead are handed out at once, the pool
// refills in the background, counts what it holds, and removes its waiting instances on close.
import { afterAll, describe, expect, it } from 'vitest';
import { getInstance, InstancePool } from '../src';
import { destroyScope, docker, newScope, ok, routerTopology } from './helpers';

const scope = newScope('pool');
const pool = new InstancePool(docker, { scope });
afterAll(async () => {
  await pool.close();
  await destroyScope(scope);
});

describe('the warm pool', () => {
  it('hands out a provisioned instance at once and refills behind it', async () => {
    expect(pool.take(routerTopology)).toBeUndefined(); // nothing asked for yet
    pool.setTarget(routerTopology, 1);
    expect(pool.size()).toBe(1); // being provisioned counts against capacity already
    await pool.settled();
    const [waiting] = pool.ids();
    expect(waiting).toBeDefined();

    const t = performance.now();
    const inst = pool.take(routerTopology)!;
    expect(performance.now() - t).toBeLessThan(50);
    expect(inst.id).toBe(waiting);
    expect(await ok(inst, 'a', 'ip -4 -o addr show dev eth0')).toContain('192.168.1.5/24');
    expect((await getInstance(docker, inst.id))?.ready).toBe(true);

    await pool.settled();
    expect(pool.ids()).toHaveLength(1);
    expect(pool.ids()[0]).not.toBe(inst.id);
  });

  it('removes waiting instances when a target drops to 0 and on close', async () => {
    const [waiting] = pool.ids();
    pool.setTarget(routerTopology, 0);
    expect(pool.size()).toBe(0);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await getInstance(docker, waiting!)).toBeUndefined();
  });
});

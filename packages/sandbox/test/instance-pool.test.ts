// The warm pool on the real engine: instances provisioned ahead are handed out at once, the pool
// refills in the background, counts what it holds, and removes its waiting instances on close;
// with a ledger, its record outlives it and two pools on one ledger never share an instance.
import { afterAll, describe, expect, it } from 'vitest';
import { getInstance, InstancePool, topologyKey, type PoolLedger } from '../src';
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
    // Removed in the background: poll for it (a loaded host takes more than a fixed 2 s).
    await expect.poll(() => getInstance(docker, waiting!), { timeout: 30_000, interval: 250 }).toBeUndefined();
  });
});

// A pool with a ledger (the API's is its database; here a Map with the same promises): the record
// outlives the pool, two pools on one ledger never hand out one instance, and a pool destroys only
// what the ledger gave up.
function mapLedger(rows = new Map<string, { key: string; ready: boolean }>()): PoolLedger & { rows: typeof rows } {
  return {
    rows,
    add: async (id, key) => void rows.set(id, { key, ready: false }),
    markReady: async (id) => void (rows.get(id)!.ready = true),
    release: async (id) => rows.delete(id),
  };
}

describe('a warm pool with a ledger', () => {
  const ledgerScope = newScope('pool-ledger');
  const ledger = mapLedger();
  const a = new InstancePool(docker, { scope: ledgerScope, ledger });
  const b = new InstancePool(docker, { scope: ledgerScope, ledger });
  afterAll(async () => {
    await Promise.all([a.close({ keepReady: false }), b.close({ keepReady: false })]);
    await destroyScope(ledgerScope);
  });

  it('records an instance before it exists, keeps the ready one on close, and one of two pools gets it', async () => {
    a.setTarget(routerTopology, 1);
    await new Promise((r) => setTimeout(r, 200));
    // Recorded while still being provisioned: a collector reading the ledger spares it.
    expect([...ledger.rows.values()]).toEqual([{ key: topologyKey(routerTopology), ready: false }]);
    await a.settled();
    const [id] = a.ids();
    expect(ledger.rows.get(id!)).toEqual({ key: topologyKey(routerTopology), ready: true });
    expect(() => a.take(routerTopology)).toThrow(/claim/);

    // Closing keeps the ready instance and its record, for the next process to adopt.
    await a.close();
    expect((await getInstance(docker, id!))?.ready).toBe(true);
    expect(ledger.rows.has(id!)).toBe(true);

    // Two pools adopt the same record (two processes after a restart); both claim at once.
    const inst = (await getInstance(docker, id!))!;
    const c = new InstancePool(docker, { scope: ledgerScope, ledger });
    c.adopt(routerTopology, [inst]);
    b.adopt(routerTopology, [inst]);
    const claims = await Promise.all([b.claim(routerTopology), c.claim(routerTopology)]);
    expect(claims.filter((x) => x?.id === id)).toHaveLength(1);
    expect(ledger.rows.has(id!)).toBe(false);

    // The loser destroys nothing it was not given: its eviction leaves the claimed instance alone.
    c.setTarget(routerTopology, 0);
    b.setTarget(routerTopology, 0);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await getInstance(docker, id!))?.ready).toBe(true);
    await c.close({ keepReady: false });
  });
});

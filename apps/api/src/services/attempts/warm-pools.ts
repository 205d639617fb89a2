// Which labs the warm pool keeps instances of, and how many, and the pool's record in the
// database. Every test that is available now (its window is open) keeps, of each lab it can reach
// in its bank's latest published version, the test's own `warmPool`, else the lab's `warmPool`,
// else the server's default (PRAXIS_WARM_POOL): test > lab > environment. Two tests reaching one
// lab keep the larger number; labs no available test reaches get 0, so their waiting instances go.
//
// The pool's instances are rows of `warm_instances` (the ledger, with the engine each is on),
// written before Docker is touched: the garbage collector of every API process knows them. The
// pool is the deployment's, not a process's: any process claims a ready instance with a row lock
// (FOR UPDATE SKIP LOCKED, in the transaction that makes it the attempt's), so two processes never
// hand one instance to two learners; the leader alone refills (one InstancePool per engine, each
// engine keeping its share of a lab's size by capacity, within that engine's spare capacity) and
// hears of every claim on the event bus. After a restart or a change of leader the ready rows are
// adopted instead of being collected and built again; the rows of an engine that is down are
// dropped (its instances are the collector's once it answers again).
import type { DbClient } from '@praxis/db';
import type { Lab } from '@praxis/labs';
import { destroyInstance, InstancePool, listInstances, topologyKey, type EngineSet, type ImageOptions, type PoolLedger } from '@praxis/sandbox';
import { countHeldByEngine } from '../engines/engine-load';
import { splitPoolSize } from '../engines/place-instances';
import { latestPublishedVersion } from '../banks/bank-views';
import { readBankContent } from '../banks/bank-content';
import { reachableLabs } from '../tests/select-questions';
import { readSelection } from '../tests/test-schemas';

export interface WarmTarget {
  lab: Lab;
  size: number;
}

/** Pool targets by topology key (topologyKey of the lab's topology). */
export async function warmPoolTargets(db: DbClient, defaultSize: number, now = new Date()): Promise<Map<string, WarmTarget>> {
  const tests = await db.test.findMany({
    where: { AND: [{ OR: [{ availableFrom: null }, { availableFrom: { lte: now } }] }, { OR: [{ availableUntil: null }, { availableUntil: { gt: now } }] }] },
    select: { bankId: true, lab: true, selection: true, warmPool: true },
  });
  const targets = new Map<string, WarmTarget>();
  const versions = new Map<string, Awaited<ReturnType<typeof latestPublishedVersion>>>();
  for (const test of tests) {
    if (!versions.has(test.bankId)) versions.set(test.bankId, await latestPublishedVersion(db, test.bankId));
    const version = versions.get(test.bankId);
    if (!version) continue;
    const rows = await db.question.findMany({ where: { bankVersionId: version.id }, select: { id: true, lab: true, key: true, kind: true, tags: true, difficulty: true, points: true } });
    const reached = reachableLabs(readSelection(test.selection), test.lab, rows);
    for (const lab of readBankContent(version).labs) {
      if (!reached.has(lab.id)) continue;
      const size = test.warmPool ?? lab.warmPool ?? defaultSize;
      const key = topologyKey(lab.topology);
      targets.set(key, { lab, size: Math.max(size, targets.get(key)?.size ?? 0) });
    }
  }
  return targets;
}

/** The pool's ledger in the database, for the pool of one engine (instance-pool.ts says what each step promises). */
export function warmPoolLedger(db: DbClient, engineId: string): PoolLedger {
  return {
    add: async (instanceId, key) => {
      await db.warmInstance.create({ data: { instanceId, topologyKey: key, engineId } });
    },
    markReady: async (instanceId) => {
      await db.warmInstance.update({ where: { instanceId }, data: { ready: true, readyAt: new Date() } });
    },
    release: async (instanceId) => (await db.warmInstance.deleteMany({ where: { instanceId } })).count === 1,
  };
}

/** Ids of every instance the pool's ledger holds, ready or being made: the collector keeps them. */
export async function listWarmInstanceIds(db: DbClient): Promise<string[]> {
  return (await db.warmInstance.findMany({ select: { instanceId: true } })).map((r) => r.instanceId);
}

type Tx = Pick<DbClient, '$queryRaw'>;

/**
 * Takes one ready instance of this topology on this engine out of the ledger, inside the caller's
 * transaction (which records it as the caller's): the row is locked and deleted in one statement,
 * and a row another transaction holds is skipped, so concurrent claims in any number of processes
 * each get a different instance or none. The oldest ready one first.
 */
export async function claimWarmInstance(tx: Tx, key: string, engineId: string): Promise<string | undefined> {
  const rows = await tx.$queryRaw<{ instance_id: string }[]>`
    DELETE FROM warm_instances WHERE instance_id = (
      SELECT instance_id FROM warm_instances
        WHERE topology_key = ${key} AND engine_id = ${engineId} AND ready
        ORDER BY ready_at, instance_id LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING instance_id`;
  return rows[0]?.instance_id;
}

/**
 * Gives back up to `count` ready instances of one engine (learners need the slots), oldest first,
 * from any process: the rows go with the same lock-and-skip as a claim, then the instances.
 * Returns the ids given up.
 */
export async function evictWarmInstances(db: DbClient, engines: EngineSet, engineId: string, count: number): Promise<string[]> {
  if (count <= 0) return [];
  const rows = await db.$queryRaw<{ instance_id: string }[]>`
    DELETE FROM warm_instances WHERE instance_id IN (
      SELECT instance_id FROM warm_instances WHERE engine_id = ${engineId} AND ready
        ORDER BY ready_at, instance_id LIMIT ${count} FOR UPDATE SKIP LOCKED)
    RETURNING instance_id`;
  const ids = rows.map((r) => r.instance_id);
  await Promise.all(ids.map((id) => destroyInstance(engines.get(engineId), id).catch(() => undefined)));
  return ids;
}

/** Instances each engine's pool holds in the ledger (ready or being made). */
export async function countWarmByEngine(db: Tx): Promise<Map<string, number>> {
  const rows = await db.$queryRaw<{ engine_id: string; n: bigint }[]>`SELECT engine_id, count(*)::bigint AS n FROM warm_instances GROUP BY engine_id`;
  return new Map(rows.map((r) => [r.engine_id, Number(r.n)]));
}

/** A row left by a process that died while provisioning is dropped once its instance is gone and this old. */
const ORPHAN_ROW_MS = 60 * 60_000;

export interface WarmPoolsOptions {
  db: DbClient;
  engines: EngineSet;
  images: ImageOptions;
  scope: string;
  /** PRAXIS_WARM_POOL: a lab's size unless its test or the lab says otherwise. */
  defaultSize: number;
  /** Whether this process leads now: only the leader makes pool instances. */
  leads: () => boolean;
  onError: (key: string, error: unknown) => void;
}

/**
 * The deployment's warm pool as this process sees it: the leader's InstancePool per engine (the
 * refill), and the ids of instances other processes claimed, forgotten as they are heard of.
 */
export class WarmPools {
  private readonly pools = new Map<string, InstancePool>();
  private refreshing: Promise<void> = Promise.resolve();

  constructor(private readonly o: WarmPoolsOptions) {}

  /** The refilling pool of one engine (made on first use). */
  private poolOf(engineId: string): InstancePool {
    let pool = this.pools.get(engineId);
    if (!pool) {
      pool = new InstancePool(this.o.engines.get(engineId), {
        ledger: warmPoolLedger(this.o.db, engineId),
        scope: this.o.scope,
        imagesDir: this.o.images.imagesDir,
        baseImage: this.o.images.baseImage,
        onError: this.o.onError,
        hasRoom: () => this.hasRoom(engineId, pool!),
      });
      this.pools.set(engineId, pool);
    }
    return pool;
  }

  /**
   * Room for one more pool instance on this engine (the one about to be made is already in the
   * pool's size): the engine is up, this process still leads, and the learners' instances there
   * plus the pool's stay within its capacity.
   */
  private async hasRoom(engineId: string, pool: InstancePool): Promise<boolean> {
    if (!this.o.leads()) return false;
    const engine = await this.o.db.engine.findUnique({ where: { id: engineId }, select: { capacity: true, status: true } });
    if (!engine || engine.status !== 'up') return false;
    const held = (await countHeldByEngine(this.o.db)).get(engineId) ?? 0;
    return held + pool.size() <= engine.capacity;
  }

  /** Ready instances this process's pools hold (the leader's); with `provisioning`, those being made too. */
  ids(options: { provisioning?: boolean } = {}): string[] {
    return [...this.pools.values()].flatMap((p) => p.ids(options));
  }

  /** Instances this process's pools hold, ready or being made. */
  size(): number {
    return [...this.pools.values()].reduce((n, p) => n + p.size(), 0);
  }

  /** A claim or an eviction anywhere took this instance out of the ledger: stop holding it, refill. */
  forget(instanceId: string): void {
    for (const p of this.pools.values()) if (p.forget(instanceId)) return;
  }

  /** Waits until every pool is at its target (tests and benchmarks). */
  async settled(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.settled()));
  }

  /** Stops refilling; ready instances stay in the ledger for the next leader. */
  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
  }

  /**
   * The leader brings the pools in line with the database, engine by engine: adopts ready rows it
   * does not hold (a restart, a new leader), gives up rows whose instance is gone or broken or whose
   * lab nothing needs any more, drops the rows of engines that are down or no longer configured,
   * forgets instances claimed elsewhere, then applies each engine's share of the targets.
   */
  refresh(): Promise<void> {
    // One at a time (the leader's task and a caller's may overlap).
    const next = this.refreshing.then(() => this.refreshOnce());
    this.refreshing = next.catch(() => undefined);
    return next;
  }

  private async refreshOnce(): Promise<void> {
    const { db, engines } = this.o;
    if (!this.o.leads()) return;
    const targets = await warmPoolTargets(db, this.o.defaultSize);
    const rows = await db.engine.findMany({ select: { id: true, status: true, capacity: true } });
    const up = engines.engines.filter((e) => rows.some((r) => r.id === e.id && r.status === 'up'));
    const shares = new Map([...targets].map(([key, t]) => [key, splitPoolSize(t.size, up.map((e) => ({ id: e.id, capacity: rows.find((r) => r.id === e.id)!.capacity })))]));
    // Rows on engines that are down or gone: dropped, and no longer held here.
    const upIds = new Set(up.map((e) => e.id));
    const dropped = await db.warmInstance.findMany({ where: { engineId: { notIn: [...upIds] } }, select: { instanceId: true } });
    if (dropped.length) {
      await db.warmInstance.deleteMany({ where: { instanceId: { in: dropped.map((d) => d.instanceId) } } });
      for (const d of dropped) this.forget(d.instanceId);
    }
    for (const id of engines.ids) {
      const pool = this.poolOf(id);
      if (!upIds.has(id)) {
        for (const [, topology] of pool.topologies()) pool.setTarget(topology, 0);
        continue;
      }
      await this.refreshEngine(id, pool, targets, shares);
    }
    for (const pool of this.pools.values()) pool.recycle();
  }

  private async refreshEngine(engineId: string, pool: InstancePool, targets: Map<string, WarmTarget>, shares: Map<string, Map<string, number>>): Promise<void> {
    const { db } = this.o;
    const docker = this.o.engines.get(engineId);
    // Ready before the read: each has its row unless another process claimed it since.
    const readyBefore = pool.ids();
    const [rows, instances] = await Promise.all([db.warmInstance.findMany({ where: { engineId } }), listInstances(docker)]);
    const live = new Map(instances.map((i) => [i.id, i]));
    const held = new Set(pool.ids({ provisioning: true }));
    const ledger = warmPoolLedger(db, engineId);
    const shareOf = (key: string) => shares.get(key)?.get(engineId) ?? 0;
    for (const row of rows) {
      const inst = live.get(row.instanceId);
      if (held.has(row.instanceId)) {
        if (row.ready && !inst?.ready) pool.remove(row.instanceId);
        continue;
      }
      const target = targets.get(row.topologyKey);
      if (row.ready && inst?.ready && target && shareOf(row.topologyKey) > 0) {
        pool.adopt(target.lab.topology, [inst]);
      } else if (row.ready || (!inst && Date.now() - row.createdAt.getTime() > ORPHAN_ROW_MS)) {
        // Broken, unwanted, or left by a crash: only the process whose release succeeds destroys it.
        if (await ledger.release(row.instanceId)) await destroyInstance(docker, row.instanceId);
      }
      // A row still provisioning is another process's (a leader before this one; the collector
      // takes it after the instance's grace when that process died).
    }
    // Waiting instances whose row is gone were claimed by another process: not ours any more.
    const recorded = new Set(rows.map((r) => r.instanceId));
    for (const id of readyBefore) if (!recorded.has(id)) pool.forget(id);
    for (const [key, topology] of pool.topologies()) if (!targets.has(key)) pool.setTarget(topology, 0);
    for (const [key, { lab }] of targets) pool.setTarget(lab.topology, shareOf(key));
    // Learners came after a refill had started: the pool gives back what it holds past the engine's capacity.
    const engine = await db.engine.findUnique({ where: { id: engineId }, select: { capacity: true } });
    const [learners, warm] = await Promise.all([countHeldByEngine(db), countWarmByEngine(db)]);
    const over = (learners.get(engineId) ?? 0) + (warm.get(engineId) ?? 0) - (engine?.capacity ?? 0);
    if (over > 0) for (const id of await evictWarmInstances(db, this.o.engines, engineId, over)) this.forget(id);
  }
}

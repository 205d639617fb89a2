// Which labs the warm pool keeps instances of, and how many, and the pool's record in the
// database. Every test that is available now (its window is open) keeps, of each lab it can reach
// in its bank's latest published version, the test's own `warmPool`, else the lab's `warmPool`,
// else the server's default (PRAXIS_WARM_POOL): test > lab > environment. Two tests reaching one
// lab keep the larger number; labs no available test reaches get 0, so their waiting instances go.
//
// The pool's instances are rows of `warm_instances` (the ledger), written before Docker is
// touched: the garbage collector of every API process knows them, a start claims one in the same
// transaction that makes it the attempt's, and after a restart the ready ones are adopted
// instead of being collected and built again.
import type { DbClient } from '@praxis/db';
import type { Lab } from '@praxis/labs';
import { destroyInstance, listInstances, topologyKey, type Docker, type InstancePool, type PoolLedger } from '@praxis/sandbox';
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

/** The pool's ledger in the database (instance-pool.ts says what each step promises). */
export function warmPoolLedger(db: DbClient): PoolLedger {
  return {
    add: async (instanceId, key) => {
      await db.warmInstance.create({ data: { instanceId, topologyKey: key } });
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

/** A row left by a process that died while provisioning is dropped once its instance is gone and this old. */
const ORPHAN_ROW_MS = 60 * 60_000;

/**
 * Brings the pool in line with the database: adopts ready instances of the ledger this process
 * does not hold (a restart), gives up the ledger's rows whose instance is gone or broken or whose
 * lab nothing needs any more, drops waiting instances whose nodes died, forgets those another
 * process claimed, then applies the targets.
 */
export async function refreshWarmPools(db: DbClient, docker: Docker, pool: InstancePool, defaultSize: number): Promise<void> {
  const targets = await warmPoolTargets(db, defaultSize);
  // Ready before the read: each has its row unless another process claimed it since.
  const readyBefore = pool.ids();
  const [rows, instances] = await Promise.all([db.warmInstance.findMany(), listInstances(docker)]);
  const live = new Map(instances.map((i) => [i.id, i]));
  const held = new Set(pool.ids({ provisioning: true }));
  const ledger = warmPoolLedger(db);
  for (const row of rows) {
    const inst = live.get(row.instanceId);
    if (held.has(row.instanceId)) {
      if (row.ready && !inst?.ready) pool.remove(row.instanceId);
      continue;
    }
    const target = targets.get(row.topologyKey);
    if (row.ready && inst?.ready && target && target.size > 0) {
      pool.adopt(target.lab.topology, [inst]);
    } else if (row.ready || (!inst && Date.now() - row.createdAt.getTime() > ORPHAN_ROW_MS)) {
      // Broken, unwanted, or left by a crash: only the process whose release succeeds destroys it.
      if (await ledger.release(row.instanceId)) await destroyInstance(docker, row.instanceId);
    }
    // A row still provisioning is another process's (or the collector's, after the instance's
    // grace, when that process died).
  }
  // Waiting instances whose row is gone were claimed by another process: not ours any more.
  const recorded = new Set(rows.map((r) => r.instanceId));
  for (const id of readyBefore) if (!recorded.has(id)) pool.forget(id);
  for (const [key, topology] of pool.topologies()) if (!targets.has(key)) pool.setTarget(topology, 0);
  for (const { lab, size } of targets.values()) pool.setTarget(lab.topology, size);
}

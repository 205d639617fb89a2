// Which labs the warm pool keeps instances of, and how many: every lab of the latest published
// version of the bank of each test that is available now (its window is open), with the lab's own
// `warmPool` or else the server's default (PRAXIS_WARM_POOL). Labs no available test uses get 0,
// so their waiting instances are removed.
import type { DbClient } from '@praxis/db';
import type { Lab } from '@praxis/labs';
import type { InstancePool } from '@praxis/sandbox';
import { latestPublishedVersion } from '../banks/bank-views';
import { readBankContent } from '../banks/bank-content';

export async function warmPoolTargets(db: DbClient, defaultSize: number, now = new Date()): Promise<Map<string, { lab: Lab; size: number }>> {
  const tests = await db.test.findMany({
    where: { AND: [{ OR: [{ availableFrom: null }, { availableFrom: { lte: now } }] }, { OR: [{ availableUntil: null }, { availableUntil: { gt: now } }] }] },
    select: { bankId: true },
  });
  const targets = new Map<string, { lab: Lab; size: number }>();
  for (const bankId of new Set(tests.map((t) => t.bankId))) {
    const version = await latestPublishedVersion(db, bankId);
    if (!version) continue;
    for (const lab of readBankContent(version).labs) {
      const size = lab.warmPool ?? defaultSize;
      const key = JSON.stringify(lab.topology);
      targets.set(key, { lab, size: Math.max(size, targets.get(key)?.size ?? 0) });
    }
  }
  return targets;
}

/** Applies the targets to the pool; topologies it held that are no longer wanted go to 0. */
export async function refreshWarmPools(db: DbClient, pool: InstancePool, defaultSize: number, held: Map<string, unknown>): Promise<void> {
  const targets = await warmPoolTargets(db, defaultSize);
  for (const [key, topology] of held) if (!targets.has(key)) pool.setTarget(topology, 0);
  held.clear();
  for (const [key, { lab, size }] of targets) {
    if (size === 0) continue;
    pool.setTarget(lab.topology, size);
    held.set(key, lab.topology);
  }
}

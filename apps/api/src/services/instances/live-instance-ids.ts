// The lab instances the deployment holds, from the database alone (every process's attempts,
// authoring runs and warm pool): the garbage collector removes every other instance of the deployment's scope.
// Ids are written before Docker is touched, so an instance being made is already here.
import type { DbClient } from '@praxis/db';
import { HOLDS_INSTANCE } from '../attempts/attempt-statuses';
import { listWarmInstanceIds } from '../attempts/warm-pools';

export async function listLiveInstanceIds(db: DbClient): Promise<Set<string>> {
  const [attempts, runs, warm] = await Promise.all([
    db.attemptInstance.findMany({ where: { attempt: { status: { in: [...HOLDS_INSTANCE] } } }, select: { instanceId: true } }),
    db.authoringRun.findMany({ where: { status: 'running', instanceId: { not: null } }, select: { instanceId: true } }),
    listWarmInstanceIds(db),
  ]);
  return new Set([...attempts.map((r) => r.instanceId), ...runs.flatMap((r) => (r.instanceId ? [r.instanceId] : [])), ...warm]);
}

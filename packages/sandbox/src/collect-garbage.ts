// The garbage collector: removes instances of the caller's scope that expired, that crashed
// mid-provisioning, or that the caller (the API, from its database) does not know. Other scopes
// belong to other deployments, test runs or benchmarks on the same engine and are never touched,
// not even when they look expired or incomplete (their own collector decides); an operator can
// sweep every scope's expired and crashed instances on purpose (`allScopes`). Safe to run at any
// time and often.
import type Docker from 'dockerode';
import { destroyInstance } from './destroy-instance';
import { deleteFabricNamespaces, listFabricNamespaces } from './fabric';
import { listInstances } from './list-instances';

export interface CollectOptions {
  now?: Date;
  /**
   * The caller's scope ("default" when absent) and the ids it owns there: an instance of that
   * scope whose id is not known is removed.
   */
  scope?: string;
  knownInstanceIds?: ReadonlySet<string>;
  /** Kept for callers written before collection was scoped; collection is always scoped now. */
  onlyScope?: boolean;
  /** Operators only: also remove expired and crashed instances of every other scope. */
  allScopes?: boolean;
  /** An instance still provisioning after this long is considered crashed. */
  provisioningGraceMs?: number;
}

export interface CollectedInstance {
  id: string;
  reason: 'expired' | 'unknown' | 'incomplete';
  containers: number;
}

export async function collectGarbage(docker: Docker, options: CollectOptions = {}): Promise<CollectedInstance[]> {
  const now = options.now ?? new Date();
  const grace = options.provisioningGraceMs ?? 120_000;
  const collected: CollectedInstance[] = [];
  const scope = options.scope ?? 'default';
  // Namespaces first, instances second: an instance's containers exist before its namespace is
  // made, so any namespace listed here whose instance is live shows up in the list that follows.
  const namespaces = await listFabricNamespaces(docker);
  const instances = await listInstances(docker);
  // Namespaces in the fabric whose instance has neither containers nor a marker (a crash
  // between teardown steps): no instance owns them, whatever the scope.
  const known = new Set(instances.map((i) => i.id));
  await deleteFabricNamespaces(docker, namespaces.filter((id) => !known.has(id)));
  for (const inst of instances) {
    if (inst.scope !== scope && !options.allScopes) continue;
    const age = now.getTime() - inst.createdAt.getTime();
    // A cluster's bootstrap may outlast the default grace; its label says how long it may take.
    const instGrace = Math.max(grace, inst.provisioningGraceMs ?? 0);
    // Committed (its marker exists) but not ready is a node restarting or stopped: Docker restarts
    // it and repairInstances wires it again, so it is not crashed provisioning.
    const committed = inst.markerVolume !== undefined;
    let reason: CollectedInstance['reason'] | undefined;
    if (inst.expiresAt.getTime() <= now.getTime()) reason = 'expired';
    else if (!committed && age > instGrace) reason = 'incomplete';
    else if (options.knownInstanceIds && inst.scope === scope && !options.knownInstanceIds.has(inst.id) && (committed || age > instGrace)) reason = 'unknown';
    if (!reason) continue;
    const containers = await destroyInstance(docker, inst.id);
    collected.push({ id: inst.id, reason, containers });
  }
  return collected;
}

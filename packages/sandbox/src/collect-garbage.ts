// The garbage collector: removes instances that expired, that crashed mid-provisioning, or that
// the caller (the API, from its database) does not know. Safe to run at any time and often.
import type Docker from 'dockerode';
import { destroyInstance } from './destroy-instance';
import { deleteFabricNamespaces, listFabricNamespaces } from './fabric';
import { listInstances } from './list-instances';

export interface CollectOptions {
  now?: Date;
  /**
   * The caller's scope and the ids it owns there: an instance of that scope whose id is not
   * known is removed. Other scopes only lose expired or crashed instances.
   */
  scope?: string;
  knownInstanceIds?: ReadonlySet<string>;
  /** Look at the caller's scope only (tests, and operators cleaning one deployment). */
  onlyScope?: boolean;
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
    if (options.onlyScope && inst.scope !== scope) continue;
    const age = now.getTime() - inst.createdAt.getTime();
    // A cluster's bootstrap may outlast the default grace; its label says how long it may take.
    const instGrace = Math.max(grace, inst.provisioningGraceMs ?? 0);
    let reason: CollectedInstance['reason'] | undefined;
    if (inst.expiresAt.getTime() <= now.getTime()) reason = 'expired';
    else if (!inst.ready && age > instGrace) reason = 'incomplete';
    else if (options.knownInstanceIds && inst.scope === scope && !options.knownInstanceIds.has(inst.id) && (inst.ready || age > instGrace)) reason = 'unknown';
    if (!reason) continue;
    const containers = await destroyInstance(docker, inst.id);
    collected.push({ id: inst.id, reason, containers });
  }
  return collected;
}

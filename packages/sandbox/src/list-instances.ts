// Reading instances back from Docker: the labels of node containers and of each instance's
// marker volume are the only state the sandbox keeps.
import type Docker from 'dockerode';
import { LABEL } from './labels';
import type { Instance } from './instance.types';

export interface InstanceSummary extends Instance {
  containerIds: string[];
  /** Nodes listed at creation; a crash mid-provisioning may have started fewer. */
  expectedNodes: string[];
  /** Name of the marker volume, when provisioning completed. */
  markerVolume?: string;
  /** Other volumes of the instance (a cluster's credentials). */
  volumes: string[];
  /** How long provisioning may take, when the instance said (a cluster); else the collector's default. */
  provisioningGraceMs?: number;
}

export async function listInstances(docker: Docker): Promise<InstanceSummary[]> {
  const [containers, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters: { label: [LABEL.instance] } }),
    docker.listVolumes({ filters: { label: [LABEL.instance] } }),
  ]);
  const byId = new Map<string, InstanceSummary>();
  const running = new Map<string, boolean>();
  const entry = (l: Record<string, string>, createdFallback: Date): InstanceSummary => {
    const id = l[LABEL.instance]!;
    let inst = byId.get(id);
    if (!inst) {
      inst = {
        id,
        owner: l[LABEL.owner] ?? 'unknown',
        scope: l[LABEL.scope] ?? 'default',
        createdAt: new Date(l[LABEL.created] ?? createdFallback),
        expiresAt: new Date(l[LABEL.expires] ?? 0),
        nodes: [],
        ready: false,
        containerIds: [],
        volumes: [],
        expectedNodes: (l[LABEL.nodes] ?? '').split(',').filter(Boolean),
        ...(l[LABEL.grace] ? { provisioningGraceMs: Number(l[LABEL.grace]) * 1000 } : {}),
      };
      byId.set(id, inst);
    }
    return inst;
  };
  for (const c of containers) {
    const inst = entry(c.Labels, new Date(c.Created * 1000));
    inst.containerIds.push(c.Id);
    const name = (c.Names[0] ?? '').replace(/^\//, '');
    if (c.Labels[LABEL.role] === 'node') {
      const node = c.Labels[LABEL.node] ?? name;
      inst.nodes.push({ name: node, hostname: node, containerId: c.Id, containerName: name });
      running.set(`${inst.id}/${node}`, c.State === 'running');
    }
  }
  for (const v of volumes.Volumes ?? []) {
    if (!v.Labels?.[LABEL.instance]) continue;
    const inst = entry(v.Labels, new Date(0));
    // Only the commit marker says "ready"; a cluster's credentials volume exists before it.
    if (v.Labels[LABEL.role] === 'kube') inst.volumes.push(v.Name);
    else inst.markerVolume = v.Name;
  }
  for (const inst of byId.values()) {
    inst.nodes.sort((a, b) => inst.expectedNodes.indexOf(a.name) - inst.expectedNodes.indexOf(b.name));
    // Ready: provisioning committed, and every node it listed is there and running.
    inst.ready =
      inst.markerVolume !== undefined &&
      inst.expectedNodes.length > 0 &&
      inst.expectedNodes.every((n) => running.get(`${inst.id}/${n}`) === true);
  }
  return [...byId.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

export async function getInstance(docker: Docker, id: string): Promise<InstanceSummary | undefined> {
  return (await listInstances(docker)).find((i) => i.id === id);
}

/**
 * Node containers running on the engine (by the Praxis labels; graders and the fabric are not
 * nodes), of one scope or of all: what an engine's CPU and memory actually carry, where
 * instances held count a five-node lab and a one-node lab alike. One list call.
 */
export async function countRunningNodes(docker: Docker, scope?: string): Promise<number> {
  const label = [`${LABEL.role}=node`, ...(scope ? [`${LABEL.scope}=${scope}`] : [])];
  return (await docker.listContainers({ filters: { label, status: ['running'] } })).length;
}

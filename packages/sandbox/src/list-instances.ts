// Reading instances back from Docker: the labels are the only state the sandbox keeps.
import type Docker from 'dockerode';
import { LABEL } from './labels';
import type { Instance } from './instance.types';

export interface InstanceSummary extends Instance {
  containerIds: string[];
  /** Nodes listed at creation; a crash mid-provisioning may have started fewer. */
  expectedNodes: string[];
}

export async function listInstances(docker: Docker): Promise<InstanceSummary[]> {
  const containers = await docker.listContainers({ all: true, filters: { label: [LABEL.instance] } });
  const byId = new Map<string, InstanceSummary>();
  for (const c of containers) {
    const l = c.Labels;
    const id = l[LABEL.instance]!;
    let inst = byId.get(id);
    if (!inst) {
      inst = {
        id,
        owner: l[LABEL.owner] ?? 'unknown',
        scope: l[LABEL.scope] ?? 'default',
        createdAt: new Date(l[LABEL.created] ?? c.Created * 1000),
        expiresAt: new Date(l[LABEL.expires] ?? 0),
        nodes: [],
        switchContainerId: '',
        ready: false,
        containerIds: [],
        expectedNodes: (l[LABEL.nodes] ?? '').split(',').filter(Boolean),
      };
      byId.set(id, inst);
    }
    inst.containerIds.push(c.Id);
    const name = (c.Names[0] ?? '').replace(/^\//, '');
    if (l[LABEL.role] === 'switch') {
      inst.switchContainerId = c.Id;
      inst.ready = !name.endsWith('-pending') && c.State === 'running';
    } else if (l[LABEL.role] === 'node') {
      const node = l[LABEL.node] ?? name;
      inst.nodes.push({ name: node, hostname: node, containerId: c.Id, containerName: name });
    }
  }
  for (const inst of byId.values()) {
    inst.nodes.sort((a, b) => inst.expectedNodes.indexOf(a.name) - inst.expectedNodes.indexOf(b.name));
  }
  return [...byId.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

export async function getInstance(docker: Docker, id: string): Promise<InstanceSummary | undefined> {
  return (await listInstances(docker)).find((i) => i.id === id);
}

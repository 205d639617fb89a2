// Wiring nodes again after a restart. A node whose init died (or an engine restart) is restarted
// by Docker (restart policy), but in a new network namespace: its old veth pairs died with the old
// one. A fabric that restarted lost every instance namespace (they live on its tmpfs). Both leave
// committed instances whose ports are missing in the fabric; this finds them and wires them again
// from the plan each node carries as a label, with the fabric's binaries only (wiring.ts).
import type Docker from 'dockerode';
import { readEngineFeatures } from './engine-features';
import { execInFabric, execInRunningFabric } from './fabric';
import { resolveImages, type ImageOptions } from './images';
import { LABEL } from './labels';
import { buildRewireScript, WIRED_DIR, type NodeWiring } from './wiring';

export interface RepairedNode {
  instanceId: string;
  node: string;
  /** `restarted`: the node came back without its links; `fabric`: the instance's bridges were gone too. */
  reason: 'restarted' | 'fabric';
  error?: string;
}

export interface RepairOptions extends ImageOptions {
  /** Only instances of this scope (the API's); every scope when absent (operators). */
  scope?: string;
}

interface NodeEntry {
  instanceId: string;
  node: string;
  containerId: string;
  /** Host pid of the node's init now (from an inspect). */
  pid: number;
  image: string;
  plan: NodeWiring;
}

/**
 * What the fabric holds: for each instance namespace that exists, the pid of each node's process
 * it last wired. A node whose current pid differs restarted since (its old veth pairs may still
 * be on their way out: the kernel removes a dead namespace's devices later).
 */
async function readWiredPids(docker: Docker, ids: string[]): Promise<Map<string, Map<string, number>> | undefined> {
  const script = ids.map((id) => `[ -e /run/netns/${id} ] && echo "${id} $(tr '\\n' ' ' < ${WIRED_DIR}/${id} 2>/dev/null)"`).join('\n') + '\ntrue';
  const r = await execInRunningFabric(docker, script);
  if (!r || r.exitCode !== 0) return undefined;
  const out = new Map<string, Map<string, number>>();
  for (const line of r.stdout.split('\n')) {
    const [id, ...rest] = line.trim().split(/\s+/);
    if (!id) continue;
    const pids = new Map<string, number>();
    for (let i = 0; i + 1 < rest.length; i += 2) pids.set(rest[i]!, Number(rest[i + 1]));
    out.set(id, pids);
  }
  return out;
}

/** Finds committed instances with missing links and wires their nodes again. */
export async function repairInstances(docker: Docker, options: RepairOptions = {}): Promise<RepairedNode[]> {
  const labelFilter = [`${LABEL.role}=node`, ...(options.scope ? [`${LABEL.scope}=${options.scope}`] : [])];
  const [running, volumes] = await Promise.all([
    docker.listContainers({ filters: { label: labelFilter, status: ['running'] } }),
    docker.listVolumes({ filters: { label: [LABEL.instance] } }),
  ]);
  // Only committed instances: one still provisioning has no ports yet on purpose.
  const committed = new Set((volumes.Volumes ?? []).map((v) => v.Labels?.[LABEL.instance]).filter(Boolean));
  const candidates = running.filter((c) => c.Labels[LABEL.wiring] && committed.has(c.Labels[LABEL.instance]));
  const found = await Promise.all(
    candidates.map(async (c): Promise<NodeEntry | undefined> => {
      try {
        const info = await docker.getContainer(c.Id).inspect();
        if (!info.State.Running || !info.State.Pid) return undefined;
        const plan = JSON.parse(c.Labels[LABEL.wiring]!) as NodeWiring;
        return { instanceId: c.Labels[LABEL.instance]!, node: c.Labels[LABEL.node] ?? '', containerId: c.Id, pid: info.State.Pid, image: c.Image, plan };
      } catch {
        return undefined; // gone meanwhile, or a label that is not ours to parse
      }
    }),
  );
  const nodes = found.filter((n): n is NodeEntry => n !== undefined);
  if (nodes.length === 0) return [];
  const ids = [...new Set(nodes.map((n) => n.instanceId))];
  const wired = (await readWiredPids(docker, ids)) ?? new Map<string, Map<string, number>>();

  const byInstance = new Map<string, NodeEntry[]>();
  for (const n of nodes) byInstance.set(n.instanceId, [...(byInstance.get(n.instanceId) ?? []), n]);
  const { usernsRemap } = await readEngineFeatures(docker);
  // The fabric is made of the general node image, should it have to start again.
  const fabricImage = await resolveImages(docker, ['node'], options).then((t) => t.node!, () => undefined);
  const repaired: RepairedNode[] = [];
  for (const [instanceId, members] of byInstance) {
    const pids = wired.get(instanceId);
    // A node with no record was wired by an older Praxis: leave it as it is.
    const broken = members.filter((m) => !pids || (pids.has(m.node) && pids.get(m.node) !== m.pid));
    if (broken.length === 0) continue;
    const reason: RepairedNode['reason'] = pids ? 'restarted' : 'fabric';
    // When the fabric lost the namespace, the first node's script makes it again with its bridges.
    let bridges = pids ? undefined : [...new Set(members.flatMap((m) => m.plan.links.map((l) => l.bridge)))];
    for (const m of broken) {
      try {
        const script = buildRewireScript(m.plan, m.pid, instanceId, { usernsRemap, bridges });
        const r = await execInFabric(docker, script, { image: fabricImage ?? m.image, usernsRemap });
        if (r.exitCode === 0) bridges = undefined;
        repaired.push({
          instanceId,
          node: m.node,
          reason,
          ...(r.exitCode === 0 ? {} : { error: (r.stderr || r.stdout).trim().slice(-500) }),
        });
      } catch (error) {
        repaired.push({ instanceId, node: m.node, reason, error: (error as Error).message });
      }
    }
  }
  return repaired;
}

// The trusted grader of a node: a read-only container of the Praxis node image that joins the
// node's network and pid namespaces, so checks read the node's real state with binaries the
// learner cannot touch. One per node, created lazily (or up front with startGraders) and removed
// with the instance because it carries the instance label. See docs/threat-model.md.
import type Docker from 'dockerode';
import { LABEL, nodeContainerName, resolveImages, type ImageOptions } from '@praxis/sandbox';
import { GraderError } from './grader-error';

export const GRADER_ROLE = 'grader';

/**
 * Capabilities, and why. DAC_OVERRIDE: read any node file as root does. NET_ADMIN: iptables/nft
 * listing. NET_RAW: ping. SYS_ADMIN: setns into a namespace the learner made (`innetns`).
 * SYS_PTRACE: follow /proc/1/root into the node's files. SYS_PTRACE is also what the nodes lack:
 * the kernel refuses ptrace (and /proc/<pid>/fd, mem, root) to a process whose capabilities are
 * not a superset of its target's, so the learner cannot reach into a running check.
 */
export const GRADER_CAPS = ['DAC_OVERRIDE', 'NET_ADMIN', 'NET_RAW', 'SYS_ADMIN', 'SYS_PTRACE'];

export function graderContainerName(instanceId: string, node: string): string {
  return `praxis-${instanceId}-${node}-grader`;
}

export interface GraderOptions extends ImageOptions {}

// One creation at a time per grader within this process; Docker's name uniqueness covers others.
const creating = new Map<string, Promise<string>>();

/** Returns the id of the node's running grader, creating (or re-creating) it when needed. */
export async function ensureGrader(docker: Docker, instanceId: string, node: string, options: GraderOptions = {}): Promise<string> {
  const name = graderContainerName(instanceId, node);
  const pending = creating.get(name);
  if (pending) return pending;
  const work = ensureGraderOnce(docker, instanceId, node, name, options).finally(() => creating.delete(name));
  creating.set(name, work);
  return work;
}

async function ensureGraderOnce(docker: Docker, instanceId: string, node: string, name: string, options: GraderOptions): Promise<string> {
  const existing = await docker.getContainer(name).inspect().catch(() => undefined);
  if (existing?.State.Running) return existing.Id;
  // Stopped (the learner killed it, or the node restarted): a fresh one, never a restart, so
  // nothing of the old one's state carries over.
  if (existing) await docker.getContainer(existing.Id).remove({ force: true }).catch(() => undefined);

  const nodeInfo = await docker
    .getContainer(nodeContainerName(instanceId, node))
    .inspect()
    .catch(() => undefined);
  if (!nodeInfo) throw new GraderError('NODE_NOT_FOUND', `instance ${instanceId} has no node "${node}"`);
  if (!nodeInfo.State.Running) throw new GraderError('NODE_NOT_RUNNING', `node "${node}" of instance ${instanceId} is not running`);

  // The node image the instance was made with (always present while the node runs); for nodes
  // of another image, the current general node image. Either way a Praxis-built image.
  const image = nodeInfo.Config.Image.startsWith('praxis-node:')
    ? nodeInfo.Config.Image
    : (await resolveImages(docker, ['node'], options)).node!;
  const nodeLabels = nodeInfo.Config.Labels ?? {};
  const labels: Record<string, string> = {
    ...Object.fromEntries(
      [LABEL.instance, LABEL.owner, LABEL.scope, LABEL.created, LABEL.expires, LABEL.nodes]
        .filter((k) => nodeLabels[k] !== undefined)
        .map((k) => [k, nodeLabels[k]!]),
    ),
    [LABEL.instance]: instanceId,
    [LABEL.role]: GRADER_ROLE,
    [LABEL.node]: node,
  };
  try {
    const container = await docker.createContainer({
      name,
      Image: image,
      Labels: labels,
      Env: [`PRAXIS_NODE=${node}`],
      HostConfig: {
        NetworkMode: `container:${nodeInfo.Id}`,
        PidMode: `container:${nodeInfo.Id}`,
        // Nothing in the grader is writable, so nothing can be planted in it through /proc.
        ReadonlyRootfs: true,
        CapDrop: ['ALL'],
        CapAdd: GRADER_CAPS,
        SecurityOpt: ['no-new-privileges'],
        Memory: 128 * 1024 * 1024,
        MemorySwap: 128 * 1024 * 1024,
        PidsLimit: 128,
        NanoCpus: 1e9,
        ShmSize: 1024 * 1024,
      },
    });
    await container.start();
    return container.id;
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 409) {
      // Another process created it between our inspect and create: give it a moment to start.
      for (let i = 0; i < 20; i++) {
        const again = await docker.getContainer(name).inspect().catch(() => undefined);
        if (again?.State.Running) return again.Id;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new GraderError('GRADER_UNAVAILABLE', `the grader of node "${node}" could not start: ${(error as Error).message}`);
  }
}

/** Starts the graders of every node up front (e.g. right after provisioning), in parallel. */
export async function startGraders(docker: Docker, instanceId: string, nodes: string[], options: GraderOptions = {}): Promise<void> {
  await Promise.all(nodes.map((n) => ensureGrader(docker, instanceId, n, options)));
}

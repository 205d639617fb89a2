// The trusted grader of a node: a read-only container of the Praxis node image that joins the
// node's network and pid namespaces, so checks read the node's real state with binaries the
// learner cannot touch. One per node, created lazily (or up front with startGraders) and removed
// with the instance because it carries the instance label. See docs/threat-model.md.
import type Docker from 'dockerode';
import { GRADER_KUBECONFIG, LABEL, kubeVolumeName, nodeContainerName, nodeRootOnHost, resolveImages, type ImageOptions } from '@praxis/sandbox';
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
  const clusterNode = nodeInfo.Config.Image.startsWith('praxis-k8s:');
  const image = nodeInfo.Config.Image.startsWith('praxis-node:') || clusterNode
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
      Env: [`PRAXIS_NODE=${node}`, ...(clusterNode ? await clusterGraderEnv(docker, instanceId) : [])],
      HostConfig: {
        NetworkMode: `container:${nodeInfo.Id}`,
        ...(clusterNode ? await clusterGraderMounts(docker, instanceId, nodeInfo) : { PidMode: `container:${nodeInfo.Id}` }),
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

/**
 * Graders of cluster nodes do not join the node's pid namespace: those nodes hold SYS_PTRACE (runc
 * needs it) and share their user namespace with the grader, so a grader process they could see
 * they could also trace. Instead the grader reads the node's root filesystem through a read-only
 * bind of the engine's view of it (nodepath/nodefile use PRAXIS_NODE_ROOT), and reaches the
 * cluster with its own kubectl and the instance's admin kubeconfig (docs/threat-model.md).
 */
async function clusterGraderMounts(docker: Docker, instanceId: string, nodeInfo: Docker.ContainerInspectInfo): Promise<Partial<Docker.HostConfig>> {
  const binds: string[] = [];
  // overlay2 names the node's root; on btrfs the sandbox finds it (node-root.ts).
  const root = await nodeRootOnHost(docker, nodeInfo);
  if (root) binds.push(`${root}:${NODE_ROOT}:ro`);
  const kube = await docker.getVolume(kubeVolumeName(instanceId)).inspect().catch(() => undefined);
  if (kube) binds.push(`${kube.Name}:${GRADER_KUBECONFIG.slice(0, GRADER_KUBECONFIG.lastIndexOf('/'))}:ro`);
  // kubectl keeps a discovery cache; the root filesystem stays read-only.
  return { Binds: binds, Tmpfs: { '/tmp': 'rw,size=16m,mode=1777' } };
}

const NODE_ROOT = '/run/praxis/node-root';

async function clusterGraderEnv(docker: Docker, instanceId: string): Promise<string[]> {
  const kube = await docker.getVolume(kubeVolumeName(instanceId)).inspect().catch(() => undefined);
  return [`PRAXIS_NODE_ROOT=${NODE_ROOT}`, 'KUBECACHEDIR=/tmp/kube-cache', 'HOME=/tmp', ...(kube ? [`KUBECONFIG=${GRADER_KUBECONFIG}`] : [])];
}

/** Starts the graders of every node up front (e.g. right after provisioning), in parallel. */
export async function startGraders(docker: Docker, instanceId: string, nodes: string[], options: GraderOptions = {}): Promise<void> {
  await Promise.all(nodes.map((n) => ensureGrader(docker, instanceId, n, options)));
}

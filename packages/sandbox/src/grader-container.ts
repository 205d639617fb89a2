// The trusted grader of a node: a read-only container of the Praxis node image in the node's
// network (and so user) namespace but in a pid namespace of its own, so checks read the node's
// real state with binaries the learner cannot touch, and the learner cannot see, signal, stop or
// ptrace a running check. The node's processes and files are visible to the grader through a
// procfs of the node's pid namespace that the fabric mounts into the grader (the only way to get a
// view of a sibling pid namespace). One grader per node, found by its labels (never by a name a
// node could also have), created lazily or up front with startGraders, removed with the instance
// because it carries the instance label. See docs/threat-model.md.
import type Docker from 'dockerode';
import { startCheckAgent } from './check-exec';
import { dockerCall } from './docker-call';
import { execInFabric } from './fabric';
import { GraderError } from './grader-error';
import { GRADER_KUBECONFIG } from './cluster-credentials';
import { hasUsernsRemap } from './engine-userns';
import { resolveImages, type ImageOptions } from './images';
import { kubeVolumeName, LABEL, nodeContainerName } from './labels';

export const GRADER_ROLE = 'grader';
/** The node container a grader belongs to, and when that container started (a restarted node needs a new grader). */
export const GRADER_OF_LABEL = 'praxis.grader-of';
export const GRADER_NODE_STARTED_LABEL = 'praxis.grader-node-started';
/** Where a grader sees the node's processes (and, through /proc/1/root, its files). */
export const NODE_PROC_DIR = '/run/praxis/nodeproc';

/**
 * Capabilities, and why. DAC_OVERRIDE: read any node file as root does. NET_ADMIN: iptables,
 * nft and conntrack listings. NET_RAW: ping, tcpdump. SYS_ADMIN: setns into a namespace the
 * learner made, the per-check private mounts (scratch /tmp, the node's netns names, `nodeprocs`).
 * SYS_PTRACE: follow the node's /proc/1/root into its files. SETGID: tcpdump's initgroups when it
 * "drops" to root (`-Z root`); without it tcpdump refuses to start.
 */
export const GRADER_CAPS = ['DAC_OVERRIDE', 'NET_ADMIN', 'NET_RAW', 'SYS_ADMIN', 'SYS_PTRACE', 'SETGID'];

/**
 * A name no node container can have: node names are lower-case letters, digits and dashes, so a
 * name with a dot is never `praxis-<instance>-<node>` of some node. The grader is still found by
 * its labels; the name only keeps `docker ps` readable.
 */
export function graderContainerName(instanceId: string, node: string): string {
  return `praxis-${instanceId}-${node}.grader`;
}

export interface GraderOptions extends ImageOptions {}

// Grader ids known to this process, and creations in flight, per instance and node.
const known = new Map<string, Promise<string>>();
const key = (instanceId: string, node: string) => `${instanceId}/${node}`;

/**
 * The id of the node's running grader, creating (or re-creating) it when needed. The answer is
 * remembered; call `forgetGrader` when an exec into it fails so the next call looks again.
 */
export function ensureGrader(docker: Docker, instanceId: string, node: string, options: GraderOptions = {}): Promise<string> {
  const k = key(instanceId, node);
  let pending = known.get(k);
  if (!pending) {
    pending = ensureGraderOnce(docker, instanceId, node, options);
    pending.catch(() => known.delete(k));
    known.set(k, pending);
  }
  return pending;
}

/** Drops what this process remembers of a grader (it stopped, or its node restarted). */
export function forgetGrader(instanceId: string, node: string): void {
  known.delete(key(instanceId, node));
}

/** Forgets and removes a node's graders (one found broken): the next check makes a fresh one. */
export async function discardGraders(docker: Docker, instanceId: string, node: string): Promise<void> {
  forgetGrader(instanceId, node);
  const graders = await findGraders(docker, instanceId, node).catch(() => []);
  await Promise.all(graders.map((g) => removeGrader(docker, g.Id)));
}

/** Graders of a node, by their labels only. */
export async function findGraders(docker: Docker, instanceId: string, node: string): Promise<Docker.ContainerInfo[]> {
  return dockerCall(`list of node "${node}"'s graders (instance ${instanceId})`, (abortSignal) =>
    docker.listContainers({
      all: true,
      filters: { label: [`${LABEL.instance}=${instanceId}`, `${LABEL.role}=${GRADER_ROLE}`, `${LABEL.node}=${node}`] },
      abortSignal,
    }),
  );
}

/** Removes a grader, whatever its state; a failure (gone already, the engine not answering) is left to the instance's removal. */
async function removeGrader(docker: Docker, id: string): Promise<void> {
  await dockerCall(`removal of grader ${id.slice(0, 12)}`, (abortSignal) => docker.getContainer(id).remove({ force: true, abortSignal })).catch(() => undefined);
}

async function inspectNode(docker: Docker, instanceId: string, node: string): Promise<Docker.ContainerInspectInfo> {
  const info = await dockerCall(`inspect of node "${node}" of instance ${instanceId}`, (abortSignal) => docker.getContainer(nodeContainerName(instanceId, node)).inspect({ abortSignal })).catch(
    (error: unknown) => {
      // An engine that holds the call is not a missing node: say which call.
      if ((error as { code?: string }).code === 'DOCKER_TIMEOUT') throw new GraderError('GRADER_UNAVAILABLE', (error as Error).message);
      return undefined;
    },
  );
  const labels = info?.Config.Labels ?? {};
  // The name is the sandbox's; the labels say it really is this instance's node.
  if (!info || labels[LABEL.instance] !== instanceId || labels[LABEL.role] !== 'node' || labels[LABEL.node] !== node) {
    throw new GraderError('NODE_NOT_FOUND', `instance ${instanceId} has no node "${node}"`);
  }
  if (!info.State.Running) throw new GraderError('NODE_NOT_RUNNING', `node "${node}" of instance ${instanceId} is not running`);
  return info;
}

async function ensureGraderOnce(docker: Docker, instanceId: string, node: string, options: GraderOptions): Promise<string> {
  const nodeInfo = await inspectNode(docker, instanceId, node);
  const graders = await findGraders(docker, instanceId, node);
  const ofThisNode = (g: Docker.ContainerInfo) => g.Labels[GRADER_OF_LABEL] === nodeInfo.Id && g.Labels[GRADER_NODE_STARTED_LABEL] === nodeInfo.State.StartedAt;
  // Another API process may be making this node's grader right now (several processes serve one
  // attempt): a grader of this node's current start that is being created or is running is used
  // once its view of the node is mounted, never removed from under the process making it.
  const other = graders.find((g) => (g.State === 'running' || g.State === 'created') && ofThisNode(g));
  if (other) {
    const adopted = await adoptGrader(docker, other.Id, nodeInfo.State.Pid);
    if (adopted) return adopted;
  }
  // Stopped (killed, or its node restarted), or never finished: fresh ones, never a restart, so
  // nothing of an old grader's state carries over.
  await Promise.all(graders.map((g) => removeGrader(docker, g.Id)));

  // The node image the instance was made with (always present while the node runs), a lab image
  // included (the node image plus the lab's Debian packages, so checks have those tools too); for
  // nodes of another image, the current general node image. Either way a Praxis-built image.
  const nodeImage = nodeInfo.Config.Image;
  const builtFrom = nodeImage.startsWith('praxis-lab:') ? (nodeInfo.Config.Labels?.[LABEL.baseImage] ?? '') : nodeImage;
  const clusterNode = builtFrom.startsWith('praxis-k8s:');
  const image =
    nodeImage.startsWith('praxis-node:') || nodeImage.startsWith('praxis-lab:') || clusterNode ? nodeImage : (await resolveImages(docker, ['node'], options)).node!;
  const cluster = clusterNode ? await clusterGraderConfig(docker, instanceId) : undefined;
  const nodeLabels = nodeInfo.Config.Labels ?? {};
  const labels: Record<string, string> = {
    ...Object.fromEntries(
      [LABEL.owner, LABEL.scope, LABEL.created, LABEL.expires, LABEL.nodes].filter((k) => nodeLabels[k] !== undefined).map((k) => [k, nodeLabels[k]!]),
    ),
    [LABEL.instance]: instanceId,
    [LABEL.role]: GRADER_ROLE,
    [LABEL.node]: node,
    [GRADER_OF_LABEL]: nodeInfo.Id,
    [GRADER_NODE_STARTED_LABEL]: nodeInfo.State.StartedAt,
  };
  let id: string | undefined;
  try {
    const container = await dockerCall(`creation of node "${node}"'s grader (instance ${instanceId})`, (abortSignal) => docker.createContainer({
      name: graderContainerName(instanceId, node),
      Image: image,
      Labels: labels,
      Env: [`PRAXIS_NODE=${node}`, ...(cluster?.env ?? [])],
      // Mount points for the node's procfs and a spare sysfs (the one `ip netns exec` and `ip -n`
      // need once they detach /sys), then the usual reaping init. "ready" tells the fabric.
      Cmd: [
        'sh',
        '-c',
        `mkdir -p ${NODE_PROC_DIR} /run/praxis/sysfs && { mount -t sysfs -o ro,nosuid,nodev,noexec sysfs /run/praxis/sysfs 2>/dev/null || true; } && : > /run/praxis/ready && exec /usr/local/bin/praxis-init`,
      ],
      HostConfig: {
        // The node's network namespace (Docker then also shares its user namespace), but NOT its
        // pid namespace: the learner cannot name, signal or trace a grader process.
        NetworkMode: `container:${nodeInfo.Id}`,
        // Nothing in the grader is writable but two small tmpfs; nothing can be planted in it.
        ReadonlyRootfs: true,
        // The check agent keeps each running check's script (about 55 KB with the helpers) in
        // /run/praxis.
        Tmpfs: { '/run/praxis': 'rw,size=4m,mode=0755', ...cluster?.tmpfs },
        ...(cluster?.binds.length ? { Binds: cluster.binds } : {}),
        CapDrop: ['ALL'],
        CapAdd: GRADER_CAPS,
        SecurityOpt: ['no-new-privileges'],
        Memory: 128 * 1024 * 1024,
        MemorySwap: 128 * 1024 * 1024,
        PidsLimit: 128,
        NanoCpus: 1e9,
        // A spinning node (1024 shares) cannot starve a check: the grader weighs four times more,
        // within its own 1-CPU quota.
        CpuShares: 4096,
        ShmSize: 1024 * 1024,
      },
      abortSignal,
    }), 60_000);
    id = container.id;
    await dockerCall(`start of node "${node}"'s grader (instance ${instanceId})`, (abortSignal) => container.start({ abortSignal }), 60_000);
    const graderInfo = await dockerCall(`inspect of node "${node}"'s grader (instance ${instanceId})`, (abortSignal) => container.inspect({ abortSignal }));
    await mountNodeView(docker, image, nodeInfo.State.Pid, graderInfo.State.Pid, node);
    return id;
  } catch (error) {
    if (id) await removeGrader(docker, id);
    // The name is taken: another process created this grader a moment ago; use theirs.
    if (!id && (error as { statusCode?: number }).statusCode === 409) {
      const adopted = await adoptGrader(docker, graderContainerName(instanceId, node), nodeInfo.State.Pid);
      if (adopted) return adopted;
    }
    if (error instanceof GraderError) throw error;
    throw new GraderError('GRADER_UNAVAILABLE', `the grader of node "${node}" could not start: ${(error as Error).message}`);
  }
}

/**
 * Waits (up to 20 s) for a grader another process is making: running, and its procfs view of the
 * node mounted (the last step of mountNodeView). Its id, or undefined when it never got there
 * (that process died half-way): the caller then replaces it.
 */
async function adoptGrader(docker: Docker, idOrName: string, nodePid: number): Promise<string | undefined> {
  const started = Date.now();
  while (Date.now() - started < 20_000) {
    const info = await dockerCall(`inspect of grader ${idOrName}`, (abortSignal) => docker.getContainer(idOrName).inspect({ abortSignal })).catch(() => undefined);
    // Docker reserves a name before the container is there to inspect: a few seconds of "no such
    // container" right after a name conflict are the other process's create still running.
    if (!info && Date.now() - started > 3_000) return undefined;
    if (info && ['exited', 'dead', 'removing'].includes(info.State.Status)) return undefined;
    if (info?.State.Running && info.State.Pid > 0) {
      const r = await execInFabric(
        docker,
        `[ "$(readlink /proc/${info.State.Pid}/root${NODE_PROC_DIR}/1/ns/pid 2>/dev/null)" = "$(readlink /proc/${nodePid}/ns/pid)" ]`,
        { image: info.Config.Image, usernsRemap: await hasUsernsRemap(docker) },
      ).catch(() => undefined);
      if (r?.exitCode === 0) return info.Id;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return undefined;
}

/**
 * Mounts a procfs of the node's pid namespace at NODE_PROC_DIR inside the grader. Only a process
 * in the node's pid namespace can make that procfs, and a sibling pid namespace cannot be
 * entered, so the fabric (host pid namespace) does it: a child in the node's pid namespace and
 * the grader's mount namespace runs the grader's own `mount`. Under --userns-remap it keeps plain
 * root with no_new_privs (the image's setuid `mount` belongs to the remapped uid).
 */
async function mountNodeView(docker: Docker, image: string, nodePid: number, graderPid: number, node: string): Promise<void> {
  const usernsRemap = await hasUsernsRemap(docker);
  const setpriv = usernsRemap ? 'setpriv --no-new-privs ' : '';
  const script = [
    'set -e',
    `G=${graderPid} N=${nodePid}`,
    'i=0; while [ ! -e /proc/$G/root/run/praxis/ready ]; do i=$((i + 1)); [ $i -le 200 ] || { echo "the grader did not start" >&2; exit 1; }; sleep 0.05; done',
    '[ "$(readlink /proc/$N/ns/net)" = "$(readlink /proc/$G/ns/net)" ] || { echo "the grader is not in the node\'s network namespace" >&2; exit 1; }',
    `${setpriv}nsenter --pid=/proc/$N/ns/pid --mount=/proc/$G/ns/mnt -- mount -t proc -o ro,nosuid,nodev,noexec proc ${NODE_PROC_DIR}`,
    `[ "$(readlink /proc/$G/root${NODE_PROC_DIR}/1/ns/pid)" = "$(readlink /proc/$N/ns/pid)" ] || { echo "the node's processes are not visible in the grader" >&2; exit 1; }`,
  ].join('\n');
  const r = await execInFabric(docker, script, { image, usernsRemap });
  if (r.exitCode !== 0) {
    throw new GraderError('GRADER_UNAVAILABLE', `the grader of node "${node}" could not see the node: ${(r.stderr || r.stdout).trim() || `exit ${r.exitCode}`}`);
  }
}

/**
 * A cluster node's grader also reaches the cluster: its own kubectl with the instance's admin
 * kubeconfig (a read-only volume), whatever the learner does to the node's kubectl or
 * kubeconfig, and a writable /tmp for kubectl's discovery cache. Like every grader it has a pid
 * namespace of its own, so the node (which holds SYS_PTRACE for runc, and shares its user
 * namespace with the grader) cannot see, signal or trace its processes.
 */
async function clusterGraderConfig(docker: Docker, instanceId: string): Promise<{ env: string[]; binds: string[]; tmpfs: Record<string, string> }> {
  const kube = await docker.getVolume(kubeVolumeName(instanceId)).inspect().catch(() => undefined);
  return {
    env: ['KUBECACHEDIR=/tmp/kube-cache', 'HOME=/tmp', ...(kube ? [`KUBECONFIG=${GRADER_KUBECONFIG}`] : [])],
    binds: kube ? [`${kube.Name}:${GRADER_KUBECONFIG.slice(0, GRADER_KUBECONFIG.lastIndexOf('/'))}:ro`] : [],
    tmpfs: { '/tmp': 'rw,size=16m,mode=1777' },
  };
}

/** Starts the graders of every node up front (e.g. right after provisioning), in parallel. */
export async function startGraders(docker: Docker, instanceId: string, nodes: string[], options: GraderOptions = {}): Promise<void> {
  await Promise.all(
    nodes.map(async (n) => {
      const id = await ensureGrader(docker, instanceId, n, options);
      // This process's check agent too, so the first Check of the attempt starts no exec. A
      // failure here only means that Check starts it.
      await startCheckAgent(docker, id).catch(() => undefined);
    }),
  );
}

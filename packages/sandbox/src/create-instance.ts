// Provisioning one isolated instance of a topology: one container per node with no Docker network
// at all, a network namespace of the instance's own inside the engine's fabric container holding
// one bridge per segment, and veth pairs between them. Instances never share anything, so every
// one can use the same fixed addresses; nothing in an instance has a route off the host.
import type Docker from 'dockerode';
import { copyFilesIntoNode, runSetupScript, setupOutputTail } from './run-setup';
import { readImageBytes, type ImageOptions } from './images';
import { resolveNodeImages } from './lab-image';
import { LABEL, markerVolumeName, newInstanceId, nodeContainerName, type ContainerRole, type VolumeRole } from './labels';
import { ensureFabric, execInFabric } from './fabric';
import { destroyInstance } from './destroy-instance';
import { clusterNodes, parseTopology, type Topology } from '@praxis/topology';
import { buildWiringScript, planWiring } from './wiring';
import { readEngineFeatures } from './engine-features';
import { nodeContainerSpec } from './node-spec';
import { bootstrapCluster, clusterHosts } from './bootstrap-cluster';
import { storeClusterCredentials } from './cluster-credentials';
import { SandboxError, type Instance, type InstanceNode, type ProvisionEvent, type ProvisionStep } from './instance.types';

export interface CreateInstanceOptions extends ImageOptions {
  owner?: string;
  /** Deployment or test run that owns the instance (label praxis.scope); default "default". */
  scope?: string;
  /** Lifetime; the garbage collector removes the instance after it. */
  ttlSeconds?: number;
  /** Time limit of each node's setup script. */
  setupTimeoutMs?: number;
  onProgress?: (event: ProvisionEvent) => void;
  /** Chosen by the caller when it must record the id before provisioning starts. */
  instanceId?: string;
  /** The lab's id: named when its lab image (its `packages:`) cannot be built. */
  lab?: string;
}

export async function createInstance(docker: Docker, input: unknown, options: CreateInstanceOptions = {}): Promise<Instance> {
  const topology: Topology = parseTopology(input);
  const id = options.instanceId ?? newInstanceId();
  const owner = options.owner ?? 'cli';
  const scope = options.scope ?? 'default';
  const createdAt = new Date();
  const expiresAt = new Date(createdAt.getTime() + (options.ttlSeconds ?? 4 * 3600) * 1000);
  const t0 = performance.now();
  const report = (step: ProvisionStep, message: string) =>
    options.onProgress?.({ instanceId: id, step, message, elapsedMs: Math.round(performance.now() - t0) });

  // A node that names packages runs its lab image, built here the first time (a minute or so,
  // each step reported); every later instance finds it by its content tag.
  const images = await resolveNodeImages(docker, topology, { ...options, onProgress: (m) => report('images', m) });
  report('images', `images ready (${[...new Set(Object.values(images.byNode))].join(', ')})`);
  // With --userns-remap a node's root is an unprivileged host uid; the fabric must stay in the
  // host's user namespace to see host pids and to wire the nodes (docs/sandbox-security.md).
  const engine = await readEngineFeatures(docker);
  const usernsRemap = engine.usernsRemap;
  const imageBytes = Object.fromEntries(
    await Promise.all(Object.entries(images.byNode).map(async ([name, tag]) => [name, await readImageBytes(docker, tag)] as const)),
  );
  const plans = planWiring(topology);

  const labels = (role: ContainerRole | VolumeRole, node?: string): Record<string, string> => ({
    // A node on a lab image names the image it was built from (its grader's kind: docs/lab-format.md).
    ...(node && images.byNode[node] !== images.baseByNode[node] ? { [LABEL.baseImage]: images.baseByNode[node]! } : {}),
    [LABEL.instance]: id,
    [LABEL.role]: role,
    [LABEL.owner]: owner,
    [LABEL.scope]: scope,
    [LABEL.created]: createdAt.toISOString(),
    [LABEL.expires]: expiresAt.toISOString(),
    [LABEL.nodes]: topology.nodes.map((n) => n.name).join(','),
    ...(topology.cluster ? { [LABEL.grace]: String(topology.cluster.timeoutSeconds + 120) } : {}),
    ...(node ? { [LABEL.node]: node } : {}),
  });

  try {
    const startContainer = async (spec: Docker.ContainerCreateOptions) => {
      const container = await docker.createContainer(spec);
      await container.start();
      const info = await container.inspect();
      return { id: container.id, pid: info.State.Pid };
    };

    const hosts = clusterHosts(topology);
    const inCluster = new Set(clusterNodes(topology));
    const fabric = { image: images.node, usernsRemap };
    // The fabric usually runs already; on a fresh engine it starts beside the nodes.
    const [, ...started] = await Promise.all([
      ensureFabric(docker, fabric.image, usernsRemap),
      ...topology.nodes.map((n, i) =>
        startContainer(
          nodeContainerSpec({
            instanceId: id,
            node: n,
            image: images.byNode[n.name]!,
            imageBytes: imageBytes[n.name] ?? 0,
            labels: labels('node', n.name),
            wiring: plans[i]!,
            engine,
            hosts: inCluster.has(n.name) ? hosts : undefined,
          }),
        ),
      ),
    ]);
    const nodes: InstanceNode[] = topology.nodes.map((n, i) => ({
      name: n.name,
      hostname: n.hostname ?? n.name,
      containerId: started[i]!.id,
      containerName: nodeContainerName(id, n.name),
    }));
    report('nodes', `${nodes.length} node${nodes.length === 1 ? '' : 's'} started`);

    const script = buildWiringScript(
      topology,
      topology.nodes.map((n, i) => ({ name: n.name, pid: started[i]!.pid })),
      id,
      { usernsRemap, plans },
    );
    const wired = await execInFabric(docker, script, fabric);
    if (wired.exitCode !== 0) {
      throw new SandboxError('WIRING_FAILED', `wiring the segments failed: ${wired.stderr.trim() || wired.stdout.trim()}`);
    }
    report('links', `${topology.segments.length} segment(s), ${topology.links.length} link(s) wired`);

    if (topology.cluster) {
      const credentials = await bootstrapCluster(docker, topology, nodes, { report: (phase, message) => report(phase, message) });
      const cpImage = images.baseByNode[topology.cluster.controlPlane]!;
      await storeClusterCredentials(docker, id, cpImage, labels('kube'), credentials.adminKubeconfig);
    }

    const withFiles = topology.nodes.map((n, i) => ({ node: n, info: nodes[i]! })).filter((x) => x.node.files.length > 0);
    await Promise.all(withFiles.map(({ node, info }) => copyFilesIntoNode(docker, info.containerId, node.name, node.files)));
    if (withFiles.length) report('setup', `files copied into ${withFiles.map((x) => `${x.node.name} (${x.node.files.length})`).join(', ')}`);

    const withSetup = topology.nodes.map((n, i) => ({ node: n, info: nodes[i]! })).filter((x) => x.node.setup);
    const setupResults = await Promise.all(
      withSetup.map(({ node, info }) =>
        runSetupScript(docker, info.containerId, node, options.setupTimeoutMs ?? 60_000).then((r) => ({ node, r })),
      ),
    );
    const failed = setupResults.find((s) => s.r.exitCode !== 0);
    if (failed) {
      const source = failed.node.setupSource ?? 'setup';
      // The script ran as a file of that name in a temporary folder: show only the lab's name.
      const output = setupOutputTail(failed.r);
      throw new SandboxError(
        'SETUP_FAILED',
        `setup script ${failed.node.setupSource ? `${source} ` : ''}of node "${failed.node.name}" ${failed.r.timedOut ? 'timed out' : `exited with ${failed.r.exitCode}`}: ${output}`,
      );
    }
    report('setup', withSetup.length ? `setup ran on ${withSetup.map((s) => s.node.name).join(', ')}` : 'no setup scripts');

    // Commit: the marker volume tells the garbage collector this instance is complete.
    await docker.createVolume({ Name: markerVolumeName(id), Labels: labels('marker') });
    report('ready', `instance ${id} ready`);
    return { id, owner, scope, createdAt, expiresAt, nodes, ready: true };
  } catch (error) {
    await destroyInstance(docker, id).catch(() => undefined);
    if (error instanceof SandboxError) throw error;
    throw new SandboxError('PROVISION_FAILED', `provisioning instance ${id} failed: ${(error as Error).message}`);
  }
}

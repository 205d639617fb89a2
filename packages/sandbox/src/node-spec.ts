// The container of one lab node: no network (the fabric wires it), the capabilities the course
// needs and no more, memory, CPU, pids and disk limits, a restart policy with the wiring kept as
// a label (a node whose init died comes back wired: repair-instances.ts), bounded logs, and the
// shared cgroup parent of all nodes. See docs/sandbox.md and docs/sandbox-security.md.
import type Docker from 'dockerode';
import type { EngineFeatures } from './engine-features';
import { LABEL, nodeCgroupParent, nodeContainerName } from './labels';
import type { TopologyNode } from '@praxis/topology';
import type { NodeWiring } from './wiring';

// What the course's commands need and nothing more: NET_ADMIN for links, addresses, routes,
// bridges and iptables; NET_RAW for ping and tcpdump; SYS_ADMIN for `ip netns add/exec`
// (bind mounts and a fresh /sys). SYS_ADMIN is host root unless the engine runs with
// --userns-remap: see docs/sandbox-security.md.
export const NODE_CAPS = ['NET_ADMIN', 'NET_RAW', 'SYS_ADMIN'];
export const NODE_DROPPED_CAPS = ['MKNOD', 'AUDIT_WRITE', 'SETFCAP'];
/**
 * Images that run a container runtime (containerd + runc) inside the node. Their nodes keep
 * Docker's default capabilities (runc gives pods MKNOD, AUDIT_WRITE and SETFCAP by default and
 * fails if the node lacks them) and add SYS_PTRACE (runc opens /proc/<pid>/ns/* of a pod's
 * sandbox, which runs as another uid). Under --userns-remap every one of them acts only inside
 * the node's own user namespace; docs/threat-model.md says why each is safe and how the graders
 * of these nodes stay out of the learner's reach.
 */
export const RUNTIME_IMAGES = new Set(['k8s']);
const RUNTIME_NODE_CAPS = [...NODE_CAPS, 'SYS_PTRACE'];
const DEFAULT_NODE_SYSCTLS = { 'net.ipv4.ip_forward': '0' };

export interface NodeSpecInput {
  instanceId: string;
  node: TopologyNode;
  image: string;
  /** Size of the image in bytes: a disk limit counts the image's files too, so it is added. */
  imageBytes: number;
  labels: Record<string, string>;
  wiring: NodeWiring;
  engine: EngineFeatures;
  /** Lines Docker adds to the node's /etc/hosts ("name:ip"): a cluster's nodes (clusterHosts). */
  hosts?: string[];
}

/**
 * `size` for StorageOpt, in MiB: the node's writable space, plus the image where the engine's
 * quota counts the image's files too (full btrfs qgroups, zfs).
 */
export function nodeDiskLimit(imageBytes: number, diskMb: number, counts: EngineFeatures['diskQuotaCounts'] = 'image-and-writes'): string {
  return `${(counts === 'writes' ? 0 : Math.ceil(imageBytes / (1024 * 1024))) + diskMb}M`;
}

export function nodeContainerSpec(input: NodeSpecInput): Docker.ContainerCreateOptions {
  const { node, engine } = input;
  const bytes = (mb: number) => mb * 1024 * 1024;
  return {
    name: nodeContainerName(input.instanceId, node.name),
    Image: input.image,
    Hostname: node.hostname ?? node.name,
    Labels: { ...input.labels, [LABEL.wiring]: JSON.stringify(input.wiring) },
    Env: [`PRAXIS_NODE=${node.name}`],
    // Teardown removes nodes with SIGKILL; an engine shutdown need not wait 10 s for each.
    StopTimeout: 2,
    HostConfig: {
      NetworkMode: 'none',
      ...(input.hosts?.length ? { ExtraHosts: input.hosts } : {}),
      CapAdd: RUNTIME_IMAGES.has(node.image) ? RUNTIME_NODE_CAPS : NODE_CAPS,
      CapDrop: RUNTIME_IMAGES.has(node.image) ? [] : NODE_DROPPED_CAPS,
      Sysctls: { ...DEFAULT_NODE_SYSCTLS, ...node.sysctls },
      Memory: bytes(node.resources.memoryMb),
      MemorySwap: bytes(node.resources.memoryMb),
      NanoCpus: Math.round(node.resources.cpus * 1e9),
      PidsLimit: node.resources.pids,
      SecurityOpt: ['no-new-privileges'],
      CgroupParent: nodeCgroupParent(engine.cgroupDriver),
      // A node whose init dies (a learner can still raise PID 1's OOM score, or ptrace it) comes
      // back, and the sandbox wires it again; only teardown removes it.
      RestartPolicy: { Name: 'unless-stopped' },
      // What a learner writes to PID 1's stdout lands in the engine's log files: bounded.
      LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '1' } },
      ...(engine.diskLimits ? { StorageOpt: { size: nodeDiskLimit(input.imageBytes, node.resources.diskMb, engine.diskQuotaCounts) } } : {}),
    },
  };
}

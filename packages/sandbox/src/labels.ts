// Names and labels of everything an instance owns. Every container carries the instance id, so
// listing, teardown and garbage collection need nothing but the Docker API.
import { randomBytes } from 'node:crypto';

export const LABEL = {
  instance: 'praxis.instance',
  role: 'praxis.role',
  node: 'praxis.node',
  owner: 'praxis.owner',
  /** Which deployment (or test run) made the instance; the collector's "unknown" rule stays inside it. */
  scope: 'praxis.scope',
  expires: 'praxis.expires',
  created: 'praxis.created',
  nodes: 'praxis.nodes',
  /**
   * Seconds provisioning may take before the collector calls the instance crashed, when longer
   * than the collector's default (a cluster's bootstrap time limit plus a margin).
   */
  grace: 'praxis.grace',
  /** On node containers: the node's wiring (JSON NodeWiring), to wire it again after a restart. */
  wiring: 'praxis.wiring',
  /** On node containers started from a lab image (`packages:`): the node image it was built from. */
  baseImage: 'praxis.base-image',
} as const;

export type ContainerRole = 'node' | 'fabric';

/** Roles of an instance's volumes: the commit marker, and a cluster's admin credentials. */
export type VolumeRole = 'marker' | 'kube';

/** A short, DNS-safe, unguessable id: `px` + 10 hex digits. */
export function newInstanceId(): string {
  return `px${randomBytes(5).toString('hex')}`;
}

/** The shape of every instance id; schemas at the API's edges validate ids with it. */
export const INSTANCE_ID_PATTERN = /^px[0-9a-f]{10}$/;

export function nodeContainerName(instanceId: string, node: string): string {
  return `praxis-${instanceId}-${node}`;
}

/** The one plumbing container per engine that holds every instance's segments (fabric.ts). */
export const FABRIC_CONTAINER_NAME = 'praxis-fabric';

/**
 * The commit marker of a provisioned instance: a Docker volume carrying the instance's labels,
 * created when provisioning completes. Container labels cannot change after creation, and a
 * volume is an API-only, atomic object the garbage collector can list; an instance whose
 * containers exist without it crashed mid-provisioning.
 */
/**
 * The cgroup every node container is placed under (HostConfig.CgroupParent), so that all lab
 * nodes together get a CPU share and quota below the machine's and the engine's own daemons keep
 * the rest (cgroup-parent.ts). The systemd cgroup driver wants a slice name instead of a path.
 */
export function nodeCgroupParent(cgroupDriver: string): string {
  return cgroupDriver === 'systemd' ? 'praxis.slice' : '/praxis';
}

export function markerVolumeName(instanceId: string): string {
  return `praxis-${instanceId}`;
}

/** A cluster instance's admin credentials (cluster-credentials.ts). */
export function kubeVolumeName(instanceId: string): string {
  return `praxis-${instanceId}-kube`;
}

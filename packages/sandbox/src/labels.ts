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
} as const;

export type ContainerRole = 'node' | 'switch';

/** A short, DNS-safe, unguessable id: `px` + 10 hex digits. */
export function newInstanceId(): string {
  return `px${randomBytes(5).toString('hex')}`;
}

/** The shape of every instance id; schemas at the API's edges validate ids with it. */
export const INSTANCE_ID_PATTERN = /^px[0-9a-f]{10}$/;

export function nodeContainerName(instanceId: string, node: string): string {
  return `praxis-${instanceId}-${node}`;
}

/**
 * The switch is created under a "-pending" name and renamed when provisioning completes: Docker
 * labels cannot change after creation, and the rename is an atomic, API-only commit marker the
 * garbage collector can read (a crash mid-provisioning leaves a pending switch behind).
 */
export function switchContainerName(instanceId: string, pending: boolean): string {
  return `praxis-${instanceId}-switch${pending ? '-pending' : ''}`;
}

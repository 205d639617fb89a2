export interface InstanceNode {
  name: string;
  hostname: string;
  containerId: string;
  containerName: string;
}

export interface Instance {
  id: string;
  owner: string;
  scope: string;
  createdAt: Date;
  expiresAt: Date;
  nodes: InstanceNode[];
  /** False while provisioning has not completed (or crashed before it did). */
  ready: boolean;
}

import type { ClusterPhase } from './bootstrap-cluster';

/** Steps in order; the cluster phases come only for a topology with a `cluster`. */
export type ProvisionStep = 'images' | 'nodes' | 'links' | ClusterPhase | 'setup' | 'ready';

export interface ProvisionEvent {
  instanceId: string;
  step: ProvisionStep;
  message: string;
  /** Milliseconds since provisioning began. */
  elapsedMs: number;
}

export class SandboxError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

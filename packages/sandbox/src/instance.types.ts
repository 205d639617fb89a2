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

export type ProvisionStep = 'images' | 'nodes' | 'links' | 'setup' | 'ready';

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

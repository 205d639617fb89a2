import type Docker from 'dockerode';
import { execInContainer, type ExecOptions, type ExecResult } from './exec';
import { nodeContainerName } from './labels';
import { SandboxError } from './instance.types';

/** Runs a command in a node of an instance, as the learner's root would. */
export async function execInNode(
  docker: Docker,
  instanceId: string,
  node: string,
  cmd: string[],
  options?: ExecOptions,
): Promise<ExecResult> {
  const name = nodeContainerName(instanceId, node);
  try {
    return await execInContainer(docker, name, cmd, options);
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 404) throw new SandboxError('NODE_NOT_FOUND', `instance ${instanceId} has no node "${node}"`);
    if (status === 409) throw new SandboxError('NODE_NOT_RUNNING', `node "${node}" of instance ${instanceId} is not running`);
    throw error;
  }
}

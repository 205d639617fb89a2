// The Docker client of every CLI command, and the CLI's only environment read: the same
// DOCKER_HOST the docker client honours (e.g. an engine with --userns-remap).
import { createDockerClient, type Docker } from '@praxis/sandbox';

export function connectDocker(): Docker {
  return createDockerClient({ host: process.env.DOCKER_HOST });
}

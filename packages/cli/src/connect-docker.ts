// The Docker clients of every CLI command, and the CLI's only environment reads: the same
// DOCKER_HOST the docker client honours (e.g. an engine with --userns-remap) for one engine, and
// the server's PRAXIS_ENGINES (with PRAXIS_MAX_INSTANCES for the one-engine default) for
// `praxis engines`.
import { createDockerClient, EngineSet, loadEngineSpecs, type Docker } from '@praxis/sandbox';

export function connectDocker(): Docker {
  return createDockerClient({ host: process.env.DOCKER_HOST });
}

/** The deployment's engines as the server reads them. */
export function connectEngines(): EngineSet {
  const list = process.env.PRAXIS_ENGINES;
  if (list) return new EngineSet(loadEngineSpecs(list));
  const url = process.env.DOCKER_HOST?.replace(/^(http|https):/, 'tcp:') ?? 'unix:///var/run/docker.sock';
  return new EngineSet([{ id: 'default', url, capacity: Number(process.env.PRAXIS_MAX_INSTANCES ?? 8) }]);
}

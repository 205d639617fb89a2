// The one place that constructs a Docker API client. Everything in Praxis that talks to Docker
// receives this client; a remote engine is `DOCKER_HOST` (tcp://host:2376 or unix:///path).
import Docker from 'dockerode';

export interface DockerOptions {
  /** A DOCKER_HOST-style URL; the local socket when absent. */
  host?: string;
}

export function createDockerClient(options: DockerOptions = {}): Docker {
  if (!options.host) return new Docker({ socketPath: '/var/run/docker.sock' });
  const url = new URL(options.host);
  if (url.protocol === 'unix:') return new Docker({ socketPath: url.pathname });
  return new Docker({
    host: url.hostname,
    port: Number(url.port || 2375),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
  });
}

export type { Docker };

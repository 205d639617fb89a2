// The local or DOCKER_HOST engine's client, for tools that talk to one engine (the CLI, image
// builds, tests). A deployment's engines, with TLS and ssh, are engines.ts.
import type Docker from 'dockerode';
import { connectEngine } from './engines';

export interface DockerOptions {
  /** A DOCKER_HOST-style URL; the local socket when absent. */
  host?: string;
}

export function createDockerClient(options: DockerOptions = {}): Docker {
  if (!options.host) return connectEngine({ url: 'unix:///var/run/docker.sock' });
  // DOCKER_HOST=tcp://... without certificates: an engine the caller trusts on its own network.
  return connectEngine({ url: options.host.replace(/^(http|https):/, 'tcp:') });
}

export type { Docker };

// A long-lived exec with its standard streams attached (the terminal's relay into a node's shell
// holder), and a container's state as the terminal needs to tell its clients why a stream ended.
// The only way the API's terminal reaches Docker.
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { dockerCall } from './docker-call';

export interface ExecStreamOptions {
  env?: string[];
  workingDir?: string;
}

/**
 * Starts `cmd` in the container with stdin, stdout and stderr attached and no TTY; returns the
 * hijacked stream: what is written goes to stdin (end() closes it), what is read is Docker's
 * multiplexed stdout/stderr (8-byte frame headers). Rejects with Docker's error (statusCode 404
 * when the container is gone, 409 when it is not running), or DOCKER_TIMEOUT when the engine
 * does not answer the exec's creation or start (docker-call.ts).
 */
export async function openExecStream(docker: Docker, container: string, cmd: string[], options: ExecStreamOptions = {}): Promise<Duplex> {
  const exec = await dockerCall(`exec create in ${container}`, (abortSignal) =>
    docker.getContainer(container).exec({
      Cmd: cmd,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      Env: options.env,
      WorkingDir: options.workingDir,
      abortSignal,
    }),
  );
  return dockerCall(`exec start in ${container}`, (abortSignal) => exec.start({ hijack: true, stdin: true, abortSignal }));
}

export type ContainerState = 'running' | 'stopped' | 'gone' | 'unreachable';

/** Running, stopped, removed, or unknown because the engine does not answer. */
export async function containerState(docker: Docker, container: string): Promise<ContainerState> {
  try {
    const info = await docker.getContainer(container).inspect();
    return info.State.Running && !info.State.Restarting && info.State.Status === 'running' ? 'running' : 'stopped';
  } catch (error) {
    return (error as { statusCode?: number }).statusCode === 404 ? 'gone' : 'unreachable';
  }
}

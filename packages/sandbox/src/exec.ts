// Running a command in a container through the Docker exec API, with a time limit and bounded
// output. Docker has no API to kill an exec, so the limit is enforced inside with `timeout`.
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { dockerCall } from './docker-call';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

export interface ExecOptions {
  timeoutMs?: number;
  /** Bytes of stdout and of stderr kept each; the rest is dropped with a marker. */
  maxOutputBytes?: number;
  stdin?: string;
  env?: string[];
}

/** Keeps the first `limit` bytes of a stream, then marks the rest as dropped (also used by the grader's check exec). */
export class BoundedBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly limit: number) {}
  push(chunk: Buffer) {
    if (this.size >= this.limit) {
      this.truncated = true;
      return;
    }
    const room = this.limit - this.size;
    if (chunk.length > room) this.truncated = true;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(part);
    this.size += part.length;
  }
  toString() {
    return Buffer.concat(this.chunks).toString('utf8') + (this.truncated ? '\n[output truncated]' : '');
  }
}

export async function execInContainer(
  docker: Docker,
  containerId: string,
  cmd: string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const limit = options.maxOutputBytes ?? 256 * 1024;
  const started = performance.now();
  // `timeout` from coreutils: -k gives the command 1 s to exit after TERM before KILL.
  const secs = Math.max(1, Math.ceil(timeoutMs / 1000));
  const wrapped = ['timeout', '-k', '1', String(secs), ...cmd];
  const exec = await dockerCall(`exec create in ${containerId}`, (abortSignal) =>
    docker.getContainer(containerId).exec({
      Cmd: wrapped,
      AttachStdout: true,
      AttachStderr: true,
      AttachStdin: options.stdin !== undefined,
      Env: options.env,
      Tty: false,
      abortSignal,
    }),
  );
  const stream = await dockerCall(`exec start in ${containerId}`, (abortSignal) => exec.start({ hijack: true, stdin: options.stdin !== undefined, abortSignal }));
  const out = new BoundedBuffer(limit);
  const err = new BoundedBuffer(limit);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  docker.modem.demuxStream(stream, stdout, stderr);
  if (options.stdin !== undefined) {
    stream.write(options.stdin);
    // Half-close so the command sees end of input; the hijacked socket stays open for output.
    (stream as unknown as { end?: () => void }).end?.();
  }
  let guard: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve, reject) => {
    // A second guard in case the container itself is frozen and `timeout` cannot act.
    guard = setTimeout(() => {
      stream.destroy();
      resolve();
    }, timeoutMs + 3000);
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  }).finally(() => clearTimeout(guard));
  return execResult(exec, out, err, started);
}

/** The outcome of a finished (or abandoned) exec: exit code, bounded output, whether it timed out. */
async function execResult(exec: Docker.Exec, out: BoundedBuffer, err: BoundedBuffer, started: number): Promise<ExecResult> {
  const info = await dockerCall(`exec inspect ${exec.id}`, (abortSignal) => exec.inspect({ abortSignal }));
  const exitCode = info.ExitCode ?? -1;
  return {
    exitCode,
    stdout: out.toString(),
    stderr: err.toString(),
    timedOut: exitCode === 124 || exitCode === 137 || info.Running === true,
    durationMs: Math.round(performance.now() - started),
  };
}

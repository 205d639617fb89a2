// One check script running in a grader, with a control channel: the script arrives on bash's
// stdin and the same stdin stays open, so the runner can release the script from a `barrier`
// (a rendezvous of the nodes of one multi-node check, see run-check.ts) by writing the barrier's
// name. The script announces a barrier on stdout with a line the runner removes from the output.
// Docker has no API to kill an exec, so the time limit is enforced inside with `timeout`, and
// every check gets a private mount namespace (`unshare -m`) for its scratch mounts.
import { PassThrough, type Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { dockerCall } from './docker-call';
import { BoundedBuffer, execResult } from './exec';

/** `::praxis-barrier <name>` on a line of its own. */
export const BARRIER_LINE = '::praxis-barrier ';

export interface CheckExecOptions {
  timeoutMs: number;
  maxOutputBytes: number;
  /** Called with a barrier name when the script reaches it. */
  onBarrier?: (name: string) => void;
}

export interface CheckExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

export interface CheckExec {
  /** Lets the script pass the barrier it waits at (no-op once the script ended). */
  release(name: string): void;
  done: Promise<CheckExecResult>;
}

/** The command a check runs as: time-limited bash in a private mount namespace. */
export function checkCommand(timeoutMs: number): string[] {
  const secs = Math.max(1, Math.ceil(timeoutMs / 1000));
  return ['timeout', '-k', '1', String(secs), 'unshare', '--mount', '--propagation', 'private', 'bash', '--noprofile', '--norc', '-s'];
}

/** Starts `script` in container `containerId`; throws Docker's error (404, 409) when it cannot start. */
export async function startCheckExec(docker: Docker, containerId: string, script: string, options: CheckExecOptions): Promise<CheckExec> {
  const started = performance.now();
  const exec = await dockerCall(`exec create in grader ${containerId}`, (abortSignal) =>
    docker.getContainer(containerId).exec({
      Cmd: checkCommand(options.timeoutMs),
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      abortSignal,
    }),
  );
  const stream = (await dockerCall(`exec start in grader ${containerId}`, (abortSignal) => exec.start({ hijack: true, stdin: true, abortSignal }))) as unknown as Duplex;
  const out = new BoundedBuffer(options.maxOutputBytes);
  const err = new BoundedBuffer(options.maxOutputBytes);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let pending = '';
  stdout.on('data', (c: Buffer) => {
    // Barrier lines are the runner's, never part of what the check printed.
    pending += c.toString('utf8');
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl + 1);
      pending = pending.slice(nl + 1);
      if (line.startsWith(BARRIER_LINE)) options.onBarrier?.(line.slice(BARRIER_LINE.length).trim());
      else out.push(Buffer.from(line));
    }
  });
  stderr.on('data', (c: Buffer) => err.push(c));
  docker.modem.demuxStream(stream, stdout, stderr);
  let ended = false;
  stream.write(script);

  const done = (async (): Promise<CheckExecResult> => {
    let guard: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve, reject) => {
      // A second guard in case the container itself is frozen and `timeout` cannot act.
      guard = setTimeout(() => {
        stream.destroy();
        resolve();
      }, options.timeoutMs + 3000);
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    }).finally(() => {
      clearTimeout(guard);
      ended = true;
      stream.end();
    });
    if (pending) out.push(Buffer.from(pending));
    return execResult(exec, out, err, started);
  })();
  return {
    release(name: string) {
      if (!ended && stream.writable) stream.write(`${name}\n`);
    },
    done,
  };
}

// One check script running in a grader, with a control channel: the script's stdin stays open, so
// the runner can release the script from a `barrier` (a rendezvous of the nodes of one multi-node
// check, see run-check.ts) by writing the barrier's name. The script announces a barrier on stdout
// with a line the runner removes from the output. The time limit is enforced inside with
// `timeout`, and every check gets a private mount namespace (`unshare -m`) for its scratch mounts.
//
// Checks do not each start a `docker exec`: each API process keeps one check agent per grader
// (check-agent.sh, started with one exec and kept) and sends it the scripts over that exec's
// attached stream. Under load a runc exec took seconds (the engine's API calls, runc and its
// init, all outside the grader's CPU weight); a fork inside the grader does not.
import { PassThrough, type Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { dockerCall } from './docker-call';
import { BoundedBuffer } from './exec';
import { GraderError } from './grader-error';

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

const AGENT_SCRIPT = readFileSync(new URL('./check-agent.sh', import.meta.url), 'utf8');

/** One output of a run, bounded; `line`: a line was taken, so the next is preceded by its newline. */
interface RunOutput {
  buf: BoundedBuffer;
  line: boolean;
}

function takeLine(output: RunOutput, rest: Buffer) {
  if (output.line) output.buf.push(NEWLINE);
  output.buf.push(rest);
  output.line = true;
}

interface AgentRun {
  out: RunOutput;
  err: RunOutput;
  onBarrier?: (name: string) => void;
  /** Ends the run with its exit status (what was printed comes with it), or with an error. */
  settle: (result: { exitCode: number; timedOut: boolean } | Error) => void;
}

/** One grader's check agent as this process sees it: the exec's stream and the runs in flight. */
class CheckAgent {
  private runs = new Map<number, AgentRun>();
  private seq = 0;
  private stderr = '';
  alive = true;

  constructor(
    readonly containerId: string,
    private readonly stream: Duplex,
    docker: Docker,
    onClose: () => void,
  ) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let pending: Buffer = Buffer.alloc(0);
    stdout.on('data', (c: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, c]) : c;
      let nl: number;
      while ((nl = pending.indexOf(10)) >= 0) {
        this.line(pending.subarray(0, nl));
        pending = pending.subarray(nl + 1);
      }
    });
    stderr.on('data', (c: Buffer) => (this.stderr = (this.stderr + c.toString('utf8')).slice(-2000)));
    docker.modem.demuxStream(stream, stdout, stderr);
    const close = () => {
      if (!this.alive) return;
      this.alive = false;
      onClose();
      const why = this.stderr.trim() ? `: ${this.stderr.trim().split('\n').pop()}` : '';
      for (const run of this.runs.values()) run.settle(new GraderError('GRADER_UNAVAILABLE', `the grader ${containerId.slice(0, 12)} stopped during the check${why}`));
      this.runs.clear();
    };
    stream.on('end', close);
    stream.on('close', close);
    stream.on('error', close);
    // A CLI run ends when its work does: the kept stream alone does not hold the process open.
    (stream as Partial<Socket>).unref?.();
  }

  /** `O|E|X <id> <rest>`: see check-agent.sh. */
  private line(raw: Buffer) {
    const a = raw.indexOf(32);
    const b = a < 0 ? -1 : raw.indexOf(32, a + 1);
    const op = raw.subarray(0, a).toString();
    const id = Number(raw.subarray(a + 1, b < 0 ? raw.length : b).toString());
    const run = this.runs.get(id);
    if (a < 0 || !run) return;
    const rest = b < 0 ? Buffer.alloc(0) : raw.subarray(b + 1);
    if (op === 'O') {
      // Barrier lines are the runner's, never part of what the check printed.
      if (rest.subarray(0, BARRIER_LINE.length).toString() === BARRIER_LINE) {
        run.onBarrier?.(rest.subarray(BARRIER_LINE.length).toString('utf8').trim());
        return;
      }
      takeLine(run.out, rest);
    } else if (op === 'E') {
      takeLine(run.err, rest);
    } else if (op === 'X') {
      this.runs.delete(id);
      const exitCode = Number(rest.toString());
      run.settle({ exitCode, timedOut: exitCode === 124 || exitCode === 137 });
    }
  }

  run(script: string, options: CheckExecOptions): CheckExec {
    const started = performance.now();
    const id = ++this.seq;
    let ended = false;
    const done = new Promise<CheckExecResult>((resolve, reject) => {
      // A second guard in case the grader itself is frozen and `timeout` cannot act.
      const guard = setTimeout(() => {
        this.runs.delete(id);
        run.settle({ exitCode: -1, timedOut: true });
      }, options.timeoutMs + 3000);
      const run: AgentRun = {
        out: { buf: new BoundedBuffer(options.maxOutputBytes), line: false },
        err: { buf: new BoundedBuffer(options.maxOutputBytes), line: false },
        onBarrier: options.onBarrier,
        settle: (result) => {
          if (ended) return;
          ended = true;
          clearTimeout(guard);
          if (result instanceof Error) reject(result);
          else resolve({ ...result, stdout: run.out.buf.toString(), stderr: run.err.buf.toString(), durationMs: Math.round(performance.now() - started) });
        },
      };
      this.runs.set(id, run);
    });
    const secs = Math.max(1, Math.ceil(options.timeoutMs / 1000));
    const body = Buffer.from(script, 'utf8');
    this.stream.write(Buffer.concat([Buffer.from(`R ${id} ${secs} ${body.length}\n`), body]));
    return {
      release: (name: string) => {
        if (!ended && this.alive && !name.includes('\n')) this.stream.write(`L ${id} ${name}\n`);
      },
      done,
    };
  }
}

const NEWLINE = Buffer.from('\n');
const agents = new Map<string, Promise<CheckAgent>>();

async function startAgent(docker: Docker, containerId: string, onClose: () => void): Promise<CheckAgent> {
  const exec = await dockerCall(`exec create in grader ${containerId}`, (abortSignal) =>
    docker.getContainer(containerId).exec({
      Cmd: ['bash', '--noprofile', '--norc', '-c', AGENT_SCRIPT],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      abortSignal,
    }),
  );
  const stream = (await dockerCall(`exec start in grader ${containerId}`, (abortSignal) => exec.start({ hijack: true, stdin: true, abortSignal }))) as unknown as Duplex;
  return new CheckAgent(containerId, stream, docker, onClose);
}

/** Starts this process's agent in a grader; the checks that arrive meanwhile wait for the same one. */
function agentFor(docker: Docker, containerId: string): Promise<CheckAgent> {
  const forget = () => {
    if (agents.get(containerId) === starting) agents.delete(containerId);
  };
  const starting = startAgent(docker, containerId, forget);
  agents.set(containerId, starting);
  starting.catch(forget);
  return starting;
}

/** This process's check agent in grader `containerId`, started if need be; Docker's error (404, 409) when it cannot start. */
export async function startCheckAgent(docker: Docker, containerId: string): Promise<CheckAgent> {
  const agent = await (agents.get(containerId) ?? agentFor(docker, containerId));
  // Its grader went away since (removed, or stopped with its node): a new agent, or Docker's error.
  return agent.alive ? agent : agentFor(docker, containerId);
}

/** Starts `script` in container `containerId`; throws Docker's error (404, 409) when it cannot start. */
export async function startCheckExec(docker: Docker, containerId: string, script: string, options: CheckExecOptions): Promise<CheckExec> {
  return (await startCheckAgent(docker, containerId)).run(script, options);
}

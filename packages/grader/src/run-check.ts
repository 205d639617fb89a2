// Running one author script in the grader of each of its nodes, with a time limit and bounded
// output, and reading the verdict: exit 0 passes, `FAIL:` lines say why not. The nodes of one run
// share a probe identity and meet at `barrier`s (one node captures while another probes). A
// missing or stale grader is re-created once; if that fails the run fails: it never passes by
// accident.
import type { Docker } from '@praxis/sandbox';
import type { LabScript } from '@praxis/labs';
import { buildCheckScript, GRADER_BROKEN_EXIT, GRADER_BROKEN_MARK, newProbeIdentity, type ProbeIdentity } from './check-prelude';
import { startCheckExec, type CheckExec, type CheckExecResult } from '@praxis/sandbox';
import { discardGraders, ensureGrader, forgetGrader, type GraderOptions } from '@praxis/sandbox';
import { GraderError } from '@praxis/sandbox';

export const DEFAULT_CHECK_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024;

export interface GradeContext extends GraderOptions {
  docker: Docker;
  instanceId: string;
  /** Lab variables for the scripts (the lab's own, or the attempt's). */
  variables: Record<string, string>;
  /** Default time limit per script; a script's own `timeout` wins. */
  timeoutMs?: number;
  /** Bytes of stdout and of stderr kept per node. */
  maxOutputBytes?: number;
}

/** What one node's run produced; kept whole for instructors. */
export interface NodeRun {
  node: string;
  passed: boolean;
  exitCode: number;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Learner-facing reasons: the text after each `FAIL:` line. */
  failures: string[];
  /** Set when the node could not be checked at all. */
  error?: { code: string; message: string };
}

export interface ScriptRun {
  passed: boolean;
  nodes: NodeRun[];
  durationMs: number;
}

export function parseFailLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('FAIL:'))
    .map((l) => l.slice('FAIL:'.length).trim())
    .filter(Boolean);
}

const UNAVAILABLE = (node: string) => `Node ${node} could not be checked right now; try again in a moment.`;

/**
 * The barriers of one run: a node that reaches barrier NAME (its n-th NAME) waits until every
 * node of the run has reached it or ended; then all waiting there are released together.
 */
class Rendezvous {
  private arrived = new Map<string, Set<string>>();
  private seen = new Map<string, number>();
  private ended = new Set<string>();
  private execs = new Map<string, CheckExec>();
  constructor(private readonly nodes: string[]) {}

  attach(node: string, exec: CheckExec) {
    this.execs.set(node, exec);
  }

  reach(node: string, name: string) {
    const n = (this.seen.get(`${node}\0${name}`) ?? 0) + 1;
    this.seen.set(`${node}\0${name}`, n);
    const key = `${name}\0${n}`;
    const set = this.arrived.get(key) ?? new Set<string>();
    set.add(node);
    this.arrived.set(key, set);
    this.settle();
  }

  end(node: string) {
    this.ended.add(node);
    this.settle();
  }

  private settle() {
    for (const [key, set] of this.arrived) {
      if (!this.nodes.every((n) => set.has(n) || this.ended.has(n))) continue;
      this.arrived.delete(key);
      const name = key.split('\0')[0]!;
      for (const n of set) this.execs.get(n)?.release(name);
    }
  }
}

function verdict(node: string, r: CheckExecResult, timeoutMs: number, started: number): NodeRun {
  const failures = parseFailLines(r.stdout);
  const base = { node, exitCode: r.exitCode, timedOut: r.timedOut, stdout: r.stdout, stderr: r.stderr, durationMs: Math.round(performance.now() - started) };
  if (r.exitCode === GRADER_BROKEN_EXIT && r.stderr.includes(GRADER_BROKEN_MARK)) {
    const message = r.stderr.split('\n').find((l) => l.startsWith(GRADER_BROKEN_MARK))!.slice(GRADER_BROKEN_MARK.length);
    return { ...base, passed: false, failures: [UNAVAILABLE(node)], error: { code: 'GRADER_UNAVAILABLE', message: `the grader of node "${node}": ${message}` } };
  }
  if (r.timedOut) failures.push(`The check did not finish within ${Math.round(timeoutMs / 1000)} s.`);
  return { ...base, passed: r.exitCode === 0 && !r.timedOut, failures };
}

function unavailable(node: string, error: unknown, started: number): NodeRun {
  const code = error instanceof GraderError ? error.code : 'GRADER_UNAVAILABLE';
  const message = (error as Error).message;
  return {
    node,
    passed: false,
    exitCode: -1,
    timedOut: false,
    stdout: '',
    stderr: message,
    durationMs: Math.round(performance.now() - started),
    failures: [UNAVAILABLE(node)],
    error: { code, message },
  };
}

/** Starts the script in a node's grader, re-creating a grader that is gone or stopped once. */
async function startOnNode(ctx: GradeContext, node: string, text: string, timeoutMs: number, onBarrier: (name: string) => void): Promise<CheckExec> {
  const options = { timeoutMs, maxOutputBytes: ctx.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES, onBarrier };
  const id = await ensureGrader(ctx.docker, ctx.instanceId, node, ctx);
  try {
    return await startCheckExec(ctx.docker, id, text, options);
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== 404 && status !== 409) throw error;
    // Removed or stopped since this process last used it: look again (and make a fresh one).
    forgetGrader(ctx.instanceId, node);
    return startCheckExec(ctx.docker, await ensureGrader(ctx.docker, ctx.instanceId, node, ctx), text, options);
  }
}

async function runOnce(ctx: GradeContext, script: LabScript, probe: ProbeIdentity): Promise<NodeRun[]> {
  const timeoutMs = script.timeoutMs ?? ctx.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const meet = new Rendezvous(script.nodes);
  return Promise.all(
    script.nodes.map(async (node) => {
      const started = performance.now();
      try {
        const text = buildCheckScript(node, ctx.variables, script.text, script.lib, probe);
        const exec = await startOnNode(ctx, node, text, timeoutMs, (name) => meet.reach(node, name));
        meet.attach(node, exec);
        const r = await exec.done.finally(() => meet.end(node));
        return verdict(node, r, timeoutMs, started);
      } catch (error) {
        meet.end(node);
        return unavailable(node, error, started);
      }
    }),
  );
}

/**
 * Runs the script on each of its nodes at once (one probe identity, shared barriers); passes when
 * every node passes. A grader that found itself broken (its node restarted) is re-created and the
 * whole run repeated once.
 */
export async function runScript(ctx: GradeContext, script: LabScript): Promise<ScriptRun> {
  const started = performance.now();
  let nodes = await runOnce(ctx, script, newProbeIdentity());
  const broken = nodes.filter((n) => n.error?.code === 'GRADER_UNAVAILABLE' && n.exitCode === GRADER_BROKEN_EXIT);
  if (broken.length) {
    await Promise.all(broken.map((n) => discardGraders(ctx.docker, ctx.instanceId, n.node)));
    nodes = await runOnce(ctx, script, newProbeIdentity());
  }
  return { passed: nodes.every((n) => n.passed), nodes, durationMs: Math.round(performance.now() - started) };
}

/** One node's run of a script (a single-node run of `script` on `node`). */
export async function runScriptOnNode(ctx: GradeContext, node: string, script: LabScript): Promise<NodeRun> {
  const run = await runScript(ctx, { ...script, nodes: [node] });
  return run.nodes[0]!;
}

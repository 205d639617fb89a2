// Running one author script in the grader of each of its nodes, with a time limit and bounded
// output, and reading the verdict: exit 0 passes, `FAIL:` lines say why not. A missing or killed
// grader is re-created once; if that fails the run fails: it never passes by accident.
import type Docker from 'dockerode';
import { execInContainer } from '@praxis/sandbox';
import type { LabScript } from '@praxis/labs';
import { buildCheckScript } from './check-prelude';
import { ensureGrader, graderContainerName, type GraderOptions } from './grader-container';
import { GraderError } from './grader-error';

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

async function execInGrader(ctx: GradeContext, node: string, stdin: string, timeoutMs: number) {
  const options = { stdin, timeoutMs, maxOutputBytes: ctx.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES };
  const cmd = ['bash', '--noprofile', '--norc', '-s'];
  try {
    return await execInContainer(ctx.docker, graderContainerName(ctx.instanceId, node), cmd, options);
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== 404 && status !== 409) throw error;
    // Not created yet, or stopped (killed from the node): make a fresh one and try once more.
    const id = await ensureGrader(ctx.docker, ctx.instanceId, node, ctx);
    return execInContainer(ctx.docker, id, cmd, options);
  }
}

export async function runScriptOnNode(ctx: GradeContext, node: string, script: LabScript): Promise<NodeRun> {
  const timeoutMs = script.timeoutMs ?? ctx.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const started = performance.now();
  try {
    const r = await execInGrader(ctx, node, buildCheckScript(node, ctx.variables, script.text, script.lib), timeoutMs);
    const failures = parseFailLines(r.stdout);
    if (r.timedOut) failures.push(`The check did not finish within ${Math.round(timeoutMs / 1000)} s.`);
    return {
      node,
      passed: r.exitCode === 0 && !r.timedOut,
      exitCode: r.exitCode,
      timedOut: r.timedOut,
      stdout: r.stdout,
      stderr: r.stderr,
      durationMs: Math.round(performance.now() - started),
      failures,
    };
  } catch (error) {
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
      failures: [`Node ${node} could not be checked right now; try again in a moment.`],
      error: { code, message },
    };
  }
}

/** Runs the script on each of its nodes in parallel; passes when every node passes. */
export async function runScript(ctx: GradeContext, script: LabScript): Promise<ScriptRun> {
  const started = performance.now();
  const nodes = await Promise.all(script.nodes.map((n) => runScriptOnNode(ctx, n, script)));
  return { passed: nodes.every((n) => n.passed), nodes, durationMs: Math.round(performance.now() - started) };
}

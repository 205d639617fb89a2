// The text piped to bash in the grader for every check and answer script: lab variables,
// PRAXIS_NODE, the probe identity of this run, the helpers (check-helpers.sh, which authors use to
// read the node without trusting it; kube-helpers.sh for cluster nodes: the grader's kubectl, probe
// pods), the lab's shared library, then the author's script.
import { readFileSync } from 'node:fs';
import { shellVariables } from '@praxis/labs';

// Read once at start-up: a file of its own so the shell is written, read and linted as shell.
const HELPERS = readFileSync(new URL('./check-helpers.sh', import.meta.url), 'utf8');
const KUBE_HELPERS = readFileSync(new URL('./kube-helpers.sh', import.meta.url), 'utf8');

/** Exit status of a check whose grader could not do its job (not the learner's doing). */
export const GRADER_BROKEN_EXIT = 125;
export const GRADER_BROKEN_MARK = 'PRAXIS-ERROR: ';

/** What one run of a check shares across its nodes: the probe pattern and source port. */
export interface ProbeIdentity {
  /** 8 hex digits, new for each run. */
  probe: string;
  /** A TCP/UDP source port derived from it (40000-59999). */
  port: number;
}

export function newProbeIdentity(): ProbeIdentity {
  const n = crypto.getRandomValues(new Uint32Array(1))[0]!;
  return { probe: n.toString(16).padStart(8, '0'), port: 40000 + (n % 20000) };
}

/**
 * The script travels on bash's stdin; wrapped in one brace group with stdin from /dev/null, bash
 * parses all of it before running any of it, so a command that reads stdin (a bare `cat`) cannot
 * swallow the rest of the script. Used for solve and spoof scripts run in the nodes.
 */
export function wrapForStdin(text: string): string {
  return `{\n${text}\n} </dev/null\n`;
}

const quote = (s: string) => `'${s.replace(/'/g, '')}'`;

/**
 * The full text piped to bash in the grader. As in wrapForStdin, one brace group parsed whole;
 * the original stdin stays readable as fd 3, the channel the runner releases barriers on, and
 * `exit` follows on the same line so bash never reads a command from that channel.
 */
export function buildCheckScript(node: string, variables: Record<string, string>, script: string, lib?: string, probe = newProbeIdentity()): string {
  const library = lib === undefined ? '' : `${lib}\ncd /\n`;
  const head = `PRAXIS_NODE=${quote(node)}\nPRAXIS_PROBE=${quote(probe.probe)}\nPRAXIS_PROBE_PORT=${probe.port}\n${shellVariables(variables)}\n`;
  return `{\n${head}${HELPERS}\n${KUBE_HELPERS}\npraxis_begin\n${library}${script}\n} 3<&0 </dev/null; exit $?\n`;
}

/** For solve and spoof scripts run in the node itself: variables and PRAXIS_NODE, no helpers. */
export function buildSolveScript(node: string, variables: Record<string, string>, script: string): string {
  return wrapForStdin(`PRAXIS_NODE=${quote(node)}\n${shellVariables(variables)}\n${script}`);
}

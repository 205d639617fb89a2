// Running a lab's node scripts (solutions, a spoof fixture's steps) in the nodes themselves, as a
// learner would type them, in order; the first failure comes back as a sentence for the author.
import type { Docker } from '@praxis/sandbox';
import { execInNode } from '@praxis/sandbox';
import type { Lab, LabScript } from '@praxis/labs';
import { buildSolveScript } from './check-prelude';

export const NODE_SCRIPT_TIMEOUT_MS = 60_000;

/** Runs `scripts` in order on their nodes; stops at the first failure: `<what> <source> on <node> exited with N: <last lines>`. */
export async function runInNodes(docker: Docker, lab: Lab, instanceId: string, scripts: LabScript[], what: string): Promise<string | undefined> {
  for (const s of scripts) {
    for (const node of s.nodes) {
      const r = await execInNode(docker, instanceId, node, ['bash', '-s'], {
        stdin: buildSolveScript(node, lab.variables, s.text),
        timeoutMs: s.timeoutMs ?? NODE_SCRIPT_TIMEOUT_MS,
      });
      if (r.exitCode !== 0) {
        const out = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' / ');
        return `${what} ${s.source} on ${node} ${r.timedOut ? 'timed out' : `exited with ${r.exitCode}`}${out ? `: ${out}` : ''}`;
      }
    }
  }
  return undefined;
}

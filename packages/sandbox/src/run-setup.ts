// A node's own preparation before the learner sees it: the lab's files copied in (path, mode),
// then its setup script run as a file of its own name by the interpreter its `#!` line names
// (sh without one), with the lab variables in its environment, so an error names the script's
// file and the script's own line numbers.
import type Docker from 'dockerode';
import { execInContainer, type ExecResult } from './exec';
import { SandboxError } from './instance.types';
import type { TopologyNode } from '@praxis/topology';

// $1: the script's name (setup/b.sh). The script arrives on stdin, is written under a private
// temporary folder and removed afterwards (setup must leave no answers lying around).
const RUN_SETUP = `d=$(mktemp -d /tmp/praxis-setup.XXXXXX) || exit 1
f="$d/$1"
mkdir -p "$(dirname "$f")" && cat >"$f" || exit 1
first=$(head -n 1 "$f")
case "$first" in
  '#!'*) interp=\${first#??}; (cd / && $interp "$f" </dev/null) ;;
  *) (cd / && sh "$f" </dev/null) ;;
esac
rc=$?
rm -rf "$d"
exit $rc`;

export async function runSetupScript(docker: Docker, containerId: string, node: TopologyNode, timeoutMs: number): Promise<ExecResult> {
  return runSetupText(docker, containerId, node.name, { name: node.setupSource ?? `setup-${node.name}.sh`, text: node.setup!, env: node.setupEnv ?? {} }, timeoutMs);
}

/**
 * Runs any setup-like script (a node's setup, a lab stage's setup) in a container the way setup
 * runs: as a file named `script.name`, by its `#!` interpreter, variables in its environment.
 */
export async function runSetupText(
  docker: Docker,
  containerId: string,
  nodeName: string,
  script: { name: string; text: string; env: Record<string, string> },
  timeoutMs: number,
): Promise<ExecResult> {
  const env = [`PRAXIS_NODE=${nodeName}`, ...Object.entries(script.env).map(([k, v]) => `${k}=${v}`)];
  return execInContainer(docker, containerId, ['sh', '-c', RUN_SETUP, 'praxis-setup', script.name], { stdin: script.text, timeoutMs, env });
}

/** What a failed setup printed, without the temporary folder it ran from: the last `lines` lines. */
export function setupOutputTail(r: ExecResult, lines = 5): string {
  return (r.stderr || r.stdout).replace(/\/tmp\/praxis-setup\.[A-Za-z0-9]+\//g, '').trim().split('\n').slice(-lines).join('\n');
}

// $1 path, $2 mode; the content arrives on stdin.
const WRITE_FILE = 'mkdir -p "$(dirname "$1")" && cat >"$1" && chmod "$2" "$1"';

/** Writes each file into the node (parents created, owned by root); the first failure throws. */
export async function copyFilesIntoNode(docker: Docker, containerId: string, nodeName: string, files: TopologyNode['files']): Promise<void> {
  for (const f of files) {
    const r = await execInContainer(docker, containerId, ['sh', '-c', WRITE_FILE, 'praxis-file', f.path, f.mode], { stdin: f.content, timeoutMs: 15_000 });
    if (r.exitCode !== 0) {
      throw new SandboxError('SETUP_FAILED', `copying ${f.path} into node "${nodeName}" failed: ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
    }
  }
}

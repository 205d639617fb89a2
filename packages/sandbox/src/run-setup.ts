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
  const name = node.setupSource ?? `setup-${node.name}.sh`;
  const env = [`PRAXIS_NODE=${node.name}`, ...Object.entries(node.setupEnv ?? {}).map(([k, v]) => `${k}=${v}`)];
  return execInContainer(docker, containerId, ['sh', '-c', RUN_SETUP, 'praxis-setup', name], { stdin: node.setup!, timeoutMs, env });
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

// CPU time of lab nodes, and demoting a node to idle priority (cgroup `cpu.idle`): an idle cgroup
// runs only when nothing else of its siblings or of the host wants the CPU, and is preempted at
// once when something does. The API marks nodes that spin that way (services/watchdog/cpu-hogs.ts)
// so that a quiet learner's commands, and the engine's daemons that carry them, are not slowed by
// another learner's busy loops. Works on cgroup v1 (this project's hosts), where the fabric can
// mount the host's cpu hierarchies; nodes live under the cgroup `praxis` (labels.ts).
import type Docker from 'dockerode';
import { execInRunningFabric } from './fabric';
import { SandboxError } from './instance.types';

export interface NodeCpuSample {
  containerId: string;
  /** CPU time used since the node started, nanoseconds. */
  usageNs: number;
  /**
   * Time the node's current threads have run or waited to run, nanoseconds (schedstat): what the
   * node wants, whatever it got. A thread that spins adds a second per second even when the CPU
   * is contended and it gets little of it; threads that exited are not counted.
   */
  demandNs: number;
  /** The node runs at idle priority now. */
  idle: boolean;
}

const ID = /^[0-9a-f]{64}$/;

/** Mounts the host's cpu and cpuacct hierarchies in a private mount namespace of the fabric, then runs `body`. */
function withCpuHierarchies(body: string[]): string {
  return [
    "setpriv --no-new-privs unshare -m sh -eu <<'PRAXIS_CPU_EOF'",
    'opt() { awk -v c="$1" \'$9 == "cgroup" { n = split($NF, o, ","); for (i = 1; i <= n; i++) if (o[i] == c) { sub(/^r[ow],/, "", $NF); print $NF; exit } }\' /proc/self/mountinfo; }',
    'acct=$(opt cpuacct); cpu=$(opt cpu)',
    '[ -n "$acct" ] && [ -n "$cpu" ] || { echo "no cgroup v1 cpu hierarchies" >&2; exit 3; }',
    'mkdir -p /run/praxis-cg/acct /run/praxis-cg/cpu',
    'mount -t cgroup -o "$acct" praxis-cpuacct /run/praxis-cg/acct',
    'if [ "$cpu" = "$acct" ]; then mount --bind /run/praxis-cg/acct /run/praxis-cg/cpu; else mount -t cgroup -o "$cpu" praxis-cpu /run/praxis-cg/cpu; fi',
    ...body,
    'PRAXIS_CPU_EOF',
  ].join('\n');
}

/** CPU use and priority of the given node containers (those not found are left out). */
export async function sampleNodeCpu(docker: Docker, containerIds: string[]): Promise<NodeCpuSample[]> {
  const ids = containerIds.filter((id) => ID.test(id));
  if (ids.length === 0) return [];
  const r = await execInRunningFabric(
    docker,
    withCpuHierarchies([
      `for id in ${ids.join(' ')}; do`,
      '  [ -r /run/praxis-cg/acct/praxis/$id/cpuacct.usage ] || continue',
      '  demand=0',
      '  while read -r t; do',
      '    if { read -r run wait rest < /proc/$t/schedstat; } 2>/dev/null; then demand=$((demand + run + wait)); fi',
      '  done < /run/praxis-cg/cpu/praxis/$id/tasks',
      '  echo "$id $(cat /run/praxis-cg/acct/praxis/$id/cpuacct.usage) $(cat /run/praxis-cg/cpu/praxis/$id/cpu.idle 2>/dev/null || echo 0) ${demand:-0}"',
      'done',
    ]),
  );
  if (!r) return [];
  if (r.exitCode === 3) return []; // cgroup v2: not handled (see the file comment)
  if (r.exitCode !== 0) throw new SandboxError('CPU_SAMPLE_FAILED', `reading the nodes' CPU time failed: ${(r.stderr || r.stdout).trim().slice(-300)}`);
  return r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [containerId, usage, idle, demand] = line.split(' ');
      return { containerId: containerId!, usageNs: Number(usage), idle: idle === '1', demandNs: Number(demand) };
    });
}

/** Sets or clears idle priority of nodes. */
export async function setNodeCpuIdle(docker: Docker, changes: { containerId: string; idle: boolean }[]): Promise<void> {
  const valid = changes.filter((c) => ID.test(c.containerId));
  if (valid.length === 0) return;
  const r = await execInRunningFabric(
    docker,
    withCpuHierarchies(valid.map((c) => `echo ${c.idle ? 1 : 0} > /run/praxis-cg/cpu/praxis/${c.containerId}/cpu.idle 2>/dev/null || true`)),
  );
  if (r && r.exitCode !== 0 && r.exitCode !== 3) {
    throw new SandboxError('CPU_PRIORITY_FAILED', `changing the nodes' CPU priority failed: ${(r.stderr || r.stdout).trim().slice(-300)}`);
  }
}

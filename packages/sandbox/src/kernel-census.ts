// Counting the kernel objects that no cgroup charges to a node: network namespaces, conntrack
// entries, neighbour (ARP/NDP) entries and learned bridge forwarding entries. They live in kernel
// memory shared by every instance (the neighbour table is even one table for the whole host), so
// a learner who floods them hurts everyone; the API's watchdog reads these figures and stops the
// instance that holds too many (apps/api/src/services/watchdog).
//
// Both readings run in the fabric, which sees host pids and host memory figures:
// - readKernelPressure: host-wide totals, one cheap exec (meminfo, slabinfo, neighbour tables);
// - countKernelObjects: per instance and node, every network namespace the node's processes are
//   in, hold open or have bind-mounted (`ip netns add`), whatever uid made it, and what is in each.
import type Docker from 'dockerode';
import { execInRunningFabric } from './fabric';
import { LABEL } from './labels';
import { SandboxError } from './instance.types';

export interface KernelPressure {
  /** Kernel memory that cannot be reclaimed (SUnreclaim), MiB. */
  unreclaimableMiB: number;
  neighbours: { ipv4: number; ipv6: number };
  /** The host's hard limits of the neighbour tables (gc_thresh3). */
  neighbourLimits: { ipv4: number; ipv6: number };
  /** Conntrack entries in all namespaces (slab objects). */
  conntrack: number;
  /** Network namespaces on the host (slab objects). */
  netns: number;
  /**
   * A btrfs file system on the host has its quota accounting marked inconsistent: btrfs enforces
   * no disk limit until a rescan (infra/scripts/ensure-engine.sh runs one).
   */
  diskLimitsSuspended: boolean;
}

export interface NodeKernelObjects {
  node: string;
  /** Network namespaces: the node's own and any the learner made. */
  netns: number;
  conntrack: number;
  neighbours: number;
  /** Learned (dynamic) bridge forwarding entries in the node's own bridges. */
  fdb: number;
}

export interface InstanceKernelObjects {
  instanceId: string;
  scope: string;
  nodes: NodeKernelObjects[];
  /** Learned forwarding entries in the instance's bridges in the fabric (0 while learning is off). */
  fabricFdb: number;
  totals: Omit<NodeKernelObjects, 'node'>;
}

const PRESSURE_SCRIPT = [
  "awk '/^SUnreclaim:/ { print \"sunreclaim\", $2 }' /proc/meminfo",
  // The neighbour tables are one per host: rtnetlink shows their size and limits from any
  // namespace (their sysctls exist only in the host's own).
  ...[
    ['arp_cache', 'arp'],
    ['ndisc_cache', 'nd'],
  ].map(
    ([table, key]) =>
      `ip -s ntable show name ${table} | awk '$5 == "thresh3" { print "${key}max", $6 } { for (i = 1; i < NF; i++) if ($i == "entries") print "${key}", $(i + 1) }'`,
  ),
  "awk '$1 == \"nf_conntrack\" { print \"conntrack\", $2 } $1 == \"net_namespace\" { print \"netns\", $2 }' /proc/slabinfo",
  'echo "qgroups_inconsistent $(cat /sys/fs/btrfs/*/qgroups/inconsistent 2>/dev/null | grep -c 1)"',
].join('\n');

/** Host-wide figures; undefined when no fabric runs (nothing was provisioned on this engine yet). */
export async function readKernelPressure(docker: Docker): Promise<KernelPressure | undefined> {
  const r = await execInRunningFabric(docker, PRESSURE_SCRIPT);
  if (!r) return undefined;
  const v = new Map(
    r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/) as [string, string]),
  );
  const num = (k: string) => {
    const n = parseInt(v.get(k) ?? '', 10);
    return Number.isFinite(n) ? n : 0;
  };
  return {
    unreclaimableMiB: Math.round(num('sunreclaim') / 1024),
    neighbours: { ipv4: num('arp'), ipv6: num('nd') },
    neighbourLimits: { ipv4: num('arpmax'), ipv6: num('ndmax') },
    conntrack: num('conntrack'),
    netns: num('netns'),
    diskLimitsSuspended: num('qgroups_inconsistent') > 0,
  };
}

/**
 * Arguments: `<key>=<container id>` per node and `fabric:<instance>` per instance. Finds each
 * node's processes by their cgroup (a learner cannot leave it), every network namespace they are
 * in, hold as a file descriptor or see bind-mounted in any of their mount namespaces, and counts
 * in each with the fabric's own binaries (nsenter --net only: nothing of the node's runs).
 * Prints `<key> <netns inode> <conntrack> <neighbours> <fdb>` per namespace.
 */
const CENSUS_PERL = String.raw`
use strict;
use warnings;
my (%want, @fabric);
for (@ARGV) {
  if (/^fabric:(px[0-9a-f]+)$/) { push @fabric, $1; next }
  my ($key, $id) = split(/=/, $_, 2);
  $want{$id} = $key;
}
my $COUNT = 'c=$(cat /proc/sys/net/netfilter/nf_conntrack_count 2>/dev/null || echo 0); '
  . 'n=$(ip neigh show nud all 2>/dev/null | wc -l); '
  . 'f=$(bridge fdb show 2>/dev/null | grep -cv -e permanent -e static); echo "$c $n $f"';
sub count {
  my ($handle) = @_;
  # List form: a path the learner chose never meets a shell.
  open(my $fh, '-|', 'nsenter', "--net=$handle", 'sh', '-c', $COUNT) or return '0 0 0';
  my $out = <$fh> // '';
  close($fh);
  chomp $out;
  return $out =~ /^\d+ \d+ \d+$/ ? $out : '0 0 0';
}
my %procs;
opendir(my $proc, '/proc') or die "/proc: $!\n";
for my $pid (grep { /^\d+$/ } readdir($proc)) {
  open(my $fh, '<', "/proc/$pid/cgroup") or next;
  local $/;
  my $cg = <$fh> // next;
  while ($cg =~ /([0-9a-f]{64})/g) {
    if (my $key = $want{$1}) { push @{$procs{$key}}, $pid; last }
  }
}
for my $key (sort keys %procs) {
  my (%ns, %mnt);
  for my $pid (@{$procs{$key}}) {
    my $net = readlink("/proc/$pid/ns/net") // next;
    $ns{$net} //= "/proc/$pid/ns/net";
    if (opendir(my $fds, "/proc/$pid/fd")) {
      for my $fd (readdir($fds)) {
        my $l = readlink("/proc/$pid/fd/$fd") // next;
        $ns{$l} //= "/proc/$pid/fd/$fd" if $l =~ /^net:\[\d+\]$/;
      }
    }
    my $m = readlink("/proc/$pid/ns/mnt") // next;
    next if $mnt{$m}++;
    open(my $mi, '<', "/proc/$pid/mountinfo") or next;
    while (my $line = <$mi>) {
      my @f = split(/ /, $line);
      next unless defined $f[4] && $f[3] =~ /^net:\[\d+\]$/;
      (my $point = $f[4]) =~ s/\\([0-7]{3})/chr(oct($1))/ge;
      $ns{$f[3]} //= "/proc/$pid/root$point";
    }
  }
  for my $n (sort keys %ns) {
    my ($inode) = $n =~ /(\d+)/;
    print "$key $inode ", count($ns{$n}), "\n";
  }
}
for my $id (@fabric) {
  print "fabric:$id 0 ", count("/run/netns/$id"), "\n" if -e "/run/netns/$id";
}
`;

/**
 * Kernel objects per instance of `scope` (every scope when absent). Runs one program in the
 * fabric; its cost grows with the namespaces found (about 10 ms each).
 */
export async function countKernelObjects(docker: Docker, options: { scope?: string } = {}): Promise<InstanceKernelObjects[]> {
  const containers = await docker.listContainers({
    filters: { label: [`${LABEL.role}=node`, ...(options.scope ? [`${LABEL.scope}=${options.scope}`] : [])] },
  });
  if (containers.length === 0) return [];
  const instances = new Map<string, InstanceKernelObjects>();
  const keys = new Map<string, { instanceId: string; node: string }>();
  const args: string[] = [];
  containers.forEach((c, i) => {
    const instanceId = c.Labels[LABEL.instance]!;
    const node = c.Labels[LABEL.node] ?? c.Id.slice(0, 12);
    if (!instances.has(instanceId)) {
      instances.set(instanceId, { instanceId, scope: c.Labels[LABEL.scope] ?? 'default', nodes: [], fabricFdb: 0, totals: { netns: 0, conntrack: 0, neighbours: 0, fdb: 0 } });
      args.push(`fabric:${instanceId}`);
    }
    keys.set(`n${i}`, { instanceId, node });
    args.push(`n${i}=${c.Id}`);
    instances.get(instanceId)!.nodes.push({ node, netns: 0, conntrack: 0, neighbours: 0, fdb: 0 });
  });
  const script = [`perl - ${args.join(' ')} <<'PRAXIS_PERL_EOF'`, ...CENSUS_PERL.trim().split('\n'), 'PRAXIS_PERL_EOF'].join('\n');
  const r = await execInRunningFabric(docker, script);
  if (!r) return [];
  if (r.exitCode !== 0) throw new SandboxError('CENSUS_FAILED', `counting kernel objects failed: ${(r.stderr || r.stdout).trim().slice(-300)}`);
  for (const line of r.stdout.trim().split('\n').filter(Boolean)) {
    const [key, , ct, neigh, fdb] = line.split(' ');
    const [c, n, f] = [Number(ct), Number(neigh), Number(fdb)];
    if (key!.startsWith('fabric:')) {
      const inst = instances.get(key!.slice('fabric:'.length));
      if (inst) inst.fabricFdb = f;
      continue;
    }
    const at = keys.get(key!);
    if (!at) continue;
    const node = instances.get(at.instanceId)!.nodes.find((x) => x.node === at.node)!;
    node.netns += 1;
    node.conntrack += c;
    node.neighbours += n;
    node.fdb += f;
  }
  for (const inst of instances.values()) {
    for (const n of inst.nodes) {
      inst.totals.netns += n.netns;
      inst.totals.conntrack += n.conntrack;
      inst.totals.neighbours += n.neighbours;
      inst.totals.fdb += n.fdb;
    }
  }
  return [...instances.values()];
}

// Freezing an instance when its time is up, so that grading reads one state that nothing of the
// learner's can change: every node is paused (the cgroup freezer: no process in it runs, not even
// a background loop the learner left), then the processes that were serving a socket at that
// moment (a DNS server, a web server, an API server the checks ask) are let out of the freezer
// again, alone, so that checks which need an answer get one. Everything else stays frozen until
// the instance is destroyed. The kernel's own work goes on in a paused node (forwarding, NAT,
// ARP, ping replies, TCP handshakes on listening sockets), and graders run in containers of their
// own beside the node, so they read files, routes, rules and counters as they were.
//
// Only with cgroup v1 (this project's hosts) are serving processes let out; on cgroup v2 the
// nodes stay paused whole (docs/sandbox-security.md, "Freeze at time up").
import type Docker from 'dockerode';
import { dockerCall } from './docker-call';
import { readEngineFeatures } from './engine-features';
import { execInFabric } from './fabric';
import { resolveImages, type ImageOptions } from './images';
import { LABEL } from './labels';
import { SandboxError } from './instance.types';

export interface FrozenNode {
  node: string;
  /** Processes left frozen. */
  frozen: number;
  /** Processes let out because they held a listening TCP or bound UDP socket: `pid command`. */
  responders: string[];
}

export interface FreezeReport {
  instanceId: string;
  /** When the last node was paused: the moment the state was fixed. */
  pausedAt: Date;
  nodes: FrozenNode[];
  durationMs: number;
}

export interface FreezeOptions extends ImageOptions {
  /** Let the serving processes run (default true); false leaves every node paused whole. */
  keepResponders?: boolean;
}

/**
 * Finds each node's freezer cgroup from its init, the sockets that listen in every network
 * namespace the node's processes use, and moves the processes owning one to a freezer cgroup of
 * their own outside the (paused) container. Arguments: pairs `<node>=<init pid>`. Prints one line
 * per node: `<node> <frozen count> <pid>:<comm> ...`. Empty responder cgroups of earlier
 * instances are removed on the way.
 */
const RESPONDERS_PERL = String.raw`
use strict;
use warnings;
my ($root, $instance, @nodes) = @ARGV;
my $out = "$root/praxis-responders";
-d $out or mkdir($out) or die "mkdir $out: $!\n";
for my $old (glob("$out/px*")) { rmdir($old) }
my $mine = "$out/$instance";
-d $mine or mkdir($mine) or die "mkdir $mine: $!\n";
sub slurp { my ($f) = @_; open(my $fh, '<', $f) or return (); my @l = <$fh>; return @l }
for my $pair (@nodes) {
  my ($node, $init) = split(/=/, $pair, 2);
  my ($path) = map { (split(/:/, $_, 3))[2] } grep { (split(/:/, $_, 3))[1] =~ /(^|,)freezer(,|$)/ } slurp("/proc/$init/cgroup");
  defined $path or die "node $node: no freezer cgroup for pid $init\n";
  chomp $path;
  my @pids = map { chomp; $_ } slurp("$root$path/cgroup.procs");
  my (%seen, %listening);
  for my $pid (@pids) {
    my $ns = readlink("/proc/$pid/ns/net") // next;
    next if $seen{$ns}++;
    for my $f (qw(tcp tcp6 udp udp6)) {
      my @lines = slurp("/proc/$pid/net/$f");
      shift @lines;
      for (@lines) {
        my @c = split;
        next unless @c > 9;
        my ($lport) = $c[1] =~ /:([0-9A-F]+)$/;
        my $tcp = $f =~ /^tcp/;
        $listening{$c[9]} = 1 if ($tcp && $c[3] eq '0A') || (!$tcp && hex($lport // '0') != 0 && $c[2] =~ /:0000$/);
      }
    }
  }
  my (@responders, $frozen);
  for my $pid (@pids) {
    opendir(my $dh, "/proc/$pid/fd") or next;
    my $serves = 0;
    for my $fd (readdir($dh)) {
      my $l = readlink("/proc/$pid/fd/$fd") // next;
      if ($l =~ /^socket:\[(\d+)\]$/ && $listening{$1}) { $serves = 1; last }
    }
    if ($serves && $pid != $init) {
      open(my $p, '>', "$mine/cgroup.procs") or die "$mine/cgroup.procs: $!\n";
      print $p "$pid\n";
      close($p) or next;
      my ($comm) = slurp("/proc/$pid/comm");
      chomp($comm //= '?');
      push @responders, "$pid:$comm";
    } else {
      $frozen++;
    }
  }
  print join(' ', $node, $frozen // 0, @responders), "\n";
}
`;

function freezeScript(instanceId: string, nodes: { node: string; pid: number }[]): string {
  return [
    'set -eu',
    // A freezer hierarchy of our own to write to (the fabric's /sys/fs/cgroup is read-only), in a
    // private mount namespace that ends with the script.
    "setpriv --no-new-privs unshare -m sh -eu <<'PRAXIS_FREEZE_EOF'",
    'mkdir -p /run/praxis-freezer',
    'mount -t cgroup -o freezer praxis-freezer /run/praxis-freezer',
    `perl - /run/praxis-freezer ${instanceId} ${nodes.map((n) => `${n.node}=${n.pid}`).join(' ')} <<'PRAXIS_PERL_EOF'`,
    ...RESPONDERS_PERL.trim().split('\n'),
    'PRAXIS_PERL_EOF',
    'PRAXIS_FREEZE_EOF',
  ].join('\n');
}

/** Pauses every node of the instance and lets its serving processes out (see the file comment). */
export async function freezeInstance(docker: Docker, instanceId: string, options: FreezeOptions = {}): Promise<FreezeReport> {
  const t0 = performance.now();
  const containers = await dockerCall(`list of instance ${instanceId}'s nodes`, (abortSignal) =>
    docker.listContainers({ filters: { label: [`${LABEL.instance}=${instanceId}`, `${LABEL.role}=node`] }, abortSignal }),
  );
  if (containers.length === 0) throw new SandboxError('INSTANCE_NOT_FOUND', `instance ${instanceId} has no running node to freeze`);
  const nameOf = (c: Docker.ContainerInfo) => c.Labels[LABEL.node] ?? c.Id.slice(0, 12);
  // Each node's init pid is read before the pause: nothing of the node is asked of Docker once it
  // is frozen (an exec into it that raced the pause would hold its inspect for ever, see docker-call.ts).
  const nodes = await Promise.all(
    containers.map(async (c) => ({
      node: nameOf(c),
      pid: (await dockerCall(`inspect of node "${nameOf(c)}" of instance ${instanceId}`, (abortSignal) => docker.getContainer(c.Id).inspect({ abortSignal }))).State.Pid,
    })),
  );
  await Promise.all(
    containers.map((c) =>
      dockerCall(`pause of node "${nameOf(c)}" of instance ${instanceId}`, (abortSignal) => docker.getContainer(c.Id).pause({ abortSignal })).catch(
        (error: { statusCode?: number; message?: string }) => {
          // 409 "already paused" is the state we want.
          if (error.statusCode !== 409 || !/already paused/i.test(error.message ?? '')) throw error;
        },
      ),
    ),
  );
  const pausedAt = new Date();
  const report: FreezeReport = { instanceId, pausedAt, nodes: nodes.map((n) => ({ node: n.node, frozen: 0, responders: [] })), durationMs: 0 };
  const engine = await readEngineFeatures(docker);
  if ((options.keepResponders ?? true) && engine.cgroupVersion === '1') {
    const image = (await resolveImages(docker, ['node'], options)).node!;
    const r = await execInFabric(docker, freezeScript(instanceId, nodes), { image, usernsRemap: engine.usernsRemap });
    if (r.exitCode !== 0) throw new SandboxError('FREEZE_FAILED', `freezing instance ${instanceId} failed: ${(r.stderr || r.stdout).trim().slice(-500)}`);
    const byNode = new Map(
      r.stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [node, frozen, ...responders] = line.split(' ');
          return [node!, { node: node!, frozen: Number(frozen), responders }] as const;
        }),
    );
    report.nodes = report.nodes.map((n) => byNode.get(n.node) ?? n);
  }
  report.durationMs = Math.round(performance.now() - t0);
  return report;
}

// The mounts the wiring makes inside a node's mount namespace, done by a small perl program of
// the fabric that enters the node's namespaces with setns(2) and calls mount(2) itself.
//
// Why not `nsenter -m -- mount ...`: entering a mount namespace runs binaries from that
// namespace's root, i.e. the node's own files. At provisioning no learner has touched them, but a
// node that is wired again after a restart (repair-instances.ts) keeps its root filesystem, where
// the learner may have replaced /bin/sh or mount, and the fabric is real root. A program that is
// already running (perl, with every module loaded before setns) executes nothing of the node's.
// util-linux has no tool that enters a namespace and then mounts without exec; perl-base is in the
// node image (which the fabric runs), so this stays a few lines rather than a new binary.
//
// What it mounts: /proc/sys/net writable (Docker mounts /proc/sys read-only; network sysctls are
// per namespace and the course needs `sysctl -w net.ipv4.ip_forward=1`); under --userns-remap
// also the node's sysfs superblock writable with the mount point read-only, and a spare read-only
// sysfs at /run/praxis/sysfs, which `ip netns exec` needs (docs/sandbox-security.md).

/** setns(2) and mount(2) numbers by `uname -m`; another architecture fails the wiring clearly. */
const SYSCALLS: Record<string, [setns: number, mount: number]> = { x86_64: [308, 165], aarch64: [268, 40] };

/**
 * Arguments: node pid, remap (0/1), resolv.conf content in hex (empty: leave the file alone).
 * Run as `perl - <args> <<EOF` with this program on stdin.
 */
export const NODE_MOUNTS_PERL = String.raw`
use strict;
use warnings;
my ($pid, $remap, $resolv) = @ARGV;
my %nr = (${Object.entries(SYSCALLS)
  .map(([arch, [setns, mount]]) => `'${arch}' => [${setns}, ${mount}]`)
  .join(', ')});
my $arch = (POSIX::uname())[4];
my ($SETNS, $MOUNT) = @{$nr{$arch} or die "praxis node mounts: unsupported architecture $arch\n"};
my ($RDONLY, $NOSUID, $NODEV, $NOEXEC, $REMOUNT, $BIND) = (1, 2, 4, 8, 32, 4096);
my $SAFE = $NOSUID | $NODEV | $NOEXEC;
open(my $net, '<', "/proc/$pid/ns/net") or die "node $pid: no network namespace: $!\n";
open(my $mnt, '<', "/proc/$pid/ns/mnt") or die "node $pid: no mount namespace: $!\n";
syscall($SETNS, fileno($net), 0x40000000) == 0 or die "setns net of $pid: $!\n";
syscall($SETNS, fileno($mnt), 0x00020000) == 0 or die "setns mnt of $pid: $!\n";
chdir('/') or die "chdir: $!\n";
sub mnt {
  my ($src, $target, $type, $flags) = @_;
  syscall($MOUNT, $src // 0, $target, $type // 0, $flags, 0) == 0 or die "mount $target: $!\n";
}
mnt('/proc/sys/net', '/proc/sys/net', undef, $BIND);
mnt(undef, '/proc/sys/net', undef, $REMOUNT | $BIND);
if ($remap) {
  mnt(undef, '/sys', undef, $REMOUNT | $SAFE);
  mnt(undef, '/sys', undef, $REMOUNT | $BIND | $RDONLY | $SAFE);
  my @run = stat('/run') or die "stat /run: $!\n";
  for my $d ('/run/praxis', '/run/praxis/sysfs') {
    next if -d $d;
    mkdir($d, 0755) or die "mkdir $d: $!\n";
    chown($run[4], $run[5], $d) or die "chown $d: $!\n";
  }
  mnt('sysfs', '/run/praxis/sysfs', 'sysfs', $RDONLY | $SAFE);
}
if (length($resolv // '')) {
  open(my $fh, '>', '/etc/resolv.conf') or die "/etc/resolv.conf: $!\n";
  print $fh pack('H*', $resolv);
  close($fh) or die "/etc/resolv.conf: $!\n";
}
`.replace('use warnings;', 'use warnings;\nuse POSIX ();');

/** The shell lines that run the program for one node (inside a here-document of the wiring script). */
export function nodeMountsLines(pid: number, usernsRemap: boolean, resolvConf?: string): string[] {
  const hex = resolvConf === undefined ? "''" : Buffer.from(resolvConf, 'utf8').toString('hex');
  return [`perl - ${pid} ${usernsRemap ? 1 : 0} ${hex} <<'PRAXIS_PERL_EOF'`, ...NODE_MOUNTS_PERL.trim().split('\n'), 'PRAXIS_PERL_EOF'];
}

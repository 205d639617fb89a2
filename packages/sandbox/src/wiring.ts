// The plan that turns a topology into bridges and veth pairs, as one shell script run in the
// fabric container (fabric.ts: it shares the host's pid namespace, so it can name each node's
// network namespace by pid). The instance's bridges live in a network namespace of their own,
// named by the instance id, inside the fabric. One exec for the whole instance keeps
// provisioning fast; the bridge side uses only the fabric's own binaries, never a node's.
import type { Topology } from './topology.schema';

export interface NodePid {
  name: string;
  pid: number;
}

/** Bridge names in the instance namespace: b0, b1... (segment names may be longer than IFNAMSIZ). */
export function bridgeName(segmentIndex: number): string {
  return `b${segmentIndex}`;
}

/** Bridge-side end of link i: p0, p1... */
export function portName(linkIndex: number): string {
  return `p${linkIndex}`;
}

export function resolvConf(node: Topology['nodes'][number]): string {
  if (!node.dns) return '# No name server is configured on this machine.\n';
  const lines = node.dns.nameservers.map((ns) => `nameserver ${ns}`);
  if (node.dns.search.length) lines.push(`search ${node.dns.search.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

export interface WiringOptions {
  /**
   * The engine remaps container root (dockerd --userns-remap). The node's files then belong to a
   * subordinate uid on the host, so a setuid binary of the node (mount) run from here would drop
   * root: nsenter runs with no_new_privs. And `ip netns exec` mounts a fresh sysfs, which the
   * kernel allows inside a user namespace only when a writable-superblock sysfs is already
   * mounted there (mount_too_revealing); runc mounts the node's sysfs read-only, and only a
   * caller in the host's user namespace (the fabric) may remount that superblock.
   */
  usernsRemap?: boolean;
}

/** Mounts that let `ip netns exec` work in a user-namespaced node (see WiringOptions). */
const USERNS_SYSFS_LINES = [
  // Superblock writable (sysfs files keep their owners: host root's files stay read-only to
  // the node's root), mount point read-only again.
  'mount -o remount,rw,nosuid,nodev,noexec /sys',
  'mount -o remount,bind,ro,nosuid,nodev,noexec /sys',
  // The sysfs `ip netns exec` finds still mounted after it detaches /sys; owned like /run, so
  // the node sees root's directory rather than nobody's.
  'mkdir -p /run/praxis/sysfs',
  'chown "$(stat -c %u:%g /run)" /run/praxis /run/praxis/sysfs',
  'mount -t sysfs -o ro,nosuid,nodev,noexec sysfs /run/praxis/sysfs',
];

/** `netns` is the instance's namespace in the fabric (its id), made by the script itself. */
export function buildWiringScript(topology: Topology, pids: NodePid[], netns: string, options: WiringOptions = {}): string {
  const pidOf = new Map(pids.map((p) => [p.name, p.pid]));
  const segIndex = new Map(topology.segments.map((s, i) => [s.name, i]));
  const bridgeSide: string[] = [];

  // Segments: one bridge each, STP off and no forward delay, so ports forward at once.
  topology.segments.forEach((_, i) => {
    const br = bridgeName(i);
    bridgeSide.push(`link add ${br} type bridge forward_delay 0 stp_state 0`, `link set ${br} up`);
  });

  // Links: create the pair with the node end directly inside the node's namespace. Interface
  // names are validated by the topology schema, so they need no quoting here.
  topology.links.forEach((l, i) => {
    const pid = pidOf.get(l.node);
    if (pid === undefined) throw new Error(`no pid for node ${l.node}`);
    const port = portName(i);
    const mac = l.mac ? ` address ${l.mac}` : '';
    bridgeSide.push(
      `link add ${port} type veth peer name ${l.interface}${mac} netns ${pid}`,
      `link set ${port} master ${bridgeName(segIndex.get(l.segment)!)} up`,
    );
  });
  const lines: string[] = ['set -eu', 'pids=', `ip netns add ${netns}`];
  if (bridgeSide.length) lines.push(`ip -n ${netns} -batch - <<'PRAXIS_FABRIC_EOF'`, ...bridgeSide, 'PRAXIS_FABRIC_EOF');

  // Node side, one process per node and all nodes at once: addresses, links up, default route,
  // a writable /proc/sys/net (Docker mounts /proc/sys read-only; network sysctls are per
  // namespace, and the course needs `sysctl -w net.ipv4.ip_forward=1`) and resolv.conf.
  // The node's own binaries run here, which is safe only because no learner has touched the
  // node yet; graders never do this.
  for (const node of topology.nodes) {
    const pid = pidOf.get(node.name)!;
    const batch: string[] = ['link set lo up'];
    const links = topology.links.filter((l) => l.node === node.name);
    for (const l of links) {
      if (l.address) batch.push(`addr add ${l.address} dev ${l.interface}`);
      batch.push(`link set ${l.interface} up`);
    }
    const gw = links.find((l) => l.gateway);
    if (gw) batch.push(`route add default via ${gw.gateway} dev ${gw.interface}`);
    lines.push(
      `${options.usernsRemap ? 'setpriv --no-new-privs ' : ''}nsenter -t ${pid} -n -m -- /bin/sh -e <<'PRAXIS_NODE_EOF' &`,
      `ip -batch - <<'PRAXIS_IP_EOF'`,
      ...batch,
      'PRAXIS_IP_EOF',
      'mount --bind /proc/sys/net /proc/sys/net',
      'mount -o remount,bind,rw /proc/sys/net',
      ...(options.usernsRemap ? USERNS_SYSFS_LINES : []),
      `cat > /etc/resolv.conf <<'PRAXIS_DNS_EOF'`,
      `${resolvConf(node)}PRAXIS_DNS_EOF`,
      'PRAXIS_NODE_EOF',
      'pids="$pids $!"',
    );
  }
  // `wait <pid>` returns each job's status, so `set -e` stops on the first node that failed.
  lines.push('for p in $pids; do wait "$p"; done');
  return `${lines.join('\n')}\n`;
}

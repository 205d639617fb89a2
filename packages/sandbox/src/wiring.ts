// The plan that turns a topology into bridges and veth pairs, as one shell script run in the
// instance's switch container (which shares the host's pid namespace, so it can name each node's
// network namespace by pid). One exec for the whole instance keeps provisioning fast; the script
// uses only the switch's own binaries, never the node's.
import type { Topology } from './topology.schema';

export interface NodePid {
  name: string;
  pid: number;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Bridge names inside the switch: b0, b1... (segment names may be longer than IFNAMSIZ). */
export function bridgeName(segmentIndex: number): string {
  return `b${segmentIndex}`;
}

/** Switch-side end of link i: p0, p1... */
export function portName(linkIndex: number): string {
  return `p${linkIndex}`;
}

export function resolvConf(node: Topology['nodes'][number]): string {
  if (!node.dns) return '# No name server is configured on this machine.\n';
  const lines = node.dns.nameservers.map((ns) => `nameserver ${ns}`);
  if (node.dns.search.length) lines.push(`search ${node.dns.search.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

export function buildWiringScript(topology: Topology, pids: NodePid[]): string {
  const pidOf = new Map(pids.map((p) => [p.name, p.pid]));
  const segIndex = new Map(topology.segments.map((s, i) => [s.name, i]));
  const lines: string[] = ['set -eu'];

  // Segments: one bridge each, STP off and no forward delay, so ports forward at once.
  topology.segments.forEach((_, i) => {
    const br = bridgeName(i);
    lines.push(`ip link add ${br} type bridge forward_delay 0 stp_state 0`, `ip link set ${br} up`);
  });

  // Links: create the pair with the node end directly inside the node's namespace.
  topology.links.forEach((l, i) => {
    const pid = pidOf.get(l.node);
    if (pid === undefined) throw new Error(`no pid for node ${l.node}`);
    const port = portName(i);
    const mac = l.mac ? ` address ${l.mac}` : '';
    lines.push(
      `ip link add ${port} type veth peer name ${q(l.interface)}${mac} netns ${pid}`,
      `ip link set ${port} master ${bridgeName(segIndex.get(l.segment)!)} up`,
    );
  });

  // Node side: addresses, links up, default route, resolv.conf and a writable /proc/sys/net.
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
    lines.push(`nsenter -t ${pid} -n ip -batch - <<'PRAXIS_EOF'\n${batch.join('\n')}\nPRAXIS_EOF`);
    // Docker mounts /proc/sys read-only. Network sysctls are per namespace, so only
    // /proc/sys/net is made writable (the course needs `sysctl -w net.ipv4.ip_forward=1`).
    // resolv.conf is written through the node's root as seen from the host pid namespace.
    lines.push(
      `nsenter -t ${pid} -m -- /bin/mount --bind /proc/sys/net /proc/sys/net`,
      `nsenter -t ${pid} -m -- /bin/mount -o remount,bind,rw /proc/sys/net`,
      `cat > /proc/${pid}/root/etc/resolv.conf <<'PRAXIS_EOF'\n${resolvConf(node)}PRAXIS_EOF`,
    );
  }
  return `${lines.join('\n')}\n`;
}

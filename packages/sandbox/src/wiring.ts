// The plan that turns a topology into bridges and veth pairs, as one shell script run in the
// fabric container (fabric.ts: it shares the host's pid namespace, so it can name each node's
// network namespace by pid). The instance's bridges live in a network namespace of their own,
// named by the instance id, inside the fabric. One exec for the whole instance keeps
// provisioning fast; the bridge side uses only the fabric's own binaries, never a node's.
//
// Kernel objects a learner could otherwise grow without bound through the fabric are closed here
// (docs/sandbox-security.md, "Kernel objects"): bridge ports do not learn MAC addresses (each
// port has one static forwarding entry, its node's MAC, and unknown destinations are flooded
// within the segment), bridges keep no multicast database, and the instance namespace has no
// IPv6 (a node's router advertisement cannot give it an address or a route).
import { randomBytes } from 'node:crypto';
import { nodeMountsLines } from './node-mounts';
import type { Topology } from '@praxis/topology';

export interface NodePid {
  name: string;
  pid: number;
}

/** One link of a node as wired: the bridge port in the fabric and the node's end. */
export interface LinkPlan {
  /** Bridge-side end in the instance namespace (p0, p1...). */
  port: string;
  /** The segment's bridge in the instance namespace (b0, b1...). */
  bridge: string;
  /** The node's interface name. */
  interface: string;
  /** The node end's MAC: the topology's, or one chosen at provisioning (the bridge's static entry). */
  mac: string;
  address?: string;
}

/**
 * Everything needed to wire one node again (after its container restarted, the old network
 * namespace and both ends of its veth pairs are gone). Kept as a label on the node container.
 */
export interface NodeWiring {
  node: string;
  links: LinkPlan[];
  gateway?: { via: string; dev: string };
  resolvConf: string;
}

/**
 * Limits set in each node's user namespace (only under --userns-remap, where every node has one):
 * network namespaces hold kernel memory no cgroup charges (conntrack and neighbour entries), so a
 * node may make only this many; nested user namespaces would give the learner capabilities such
 * as CAP_SYS_RESOURCE over them and are not needed by any course command. The kernel counts these
 * per uid inside the node; the watchdog (kernel-census.ts) counts namespaces whatever their uid.
 */
export const NODE_NAMESPACE_LIMITS = { max_net_namespaces: 32, max_user_namespaces: 0 } as const;

/** Bridge names in the instance namespace: b0, b1... (segment names may be longer than IFNAMSIZ). */
export function bridgeName(segmentIndex: number): string {
  return `b${segmentIndex}`;
}

/** Bridge-side end of link i: p0, p1... */
export function portName(linkIndex: number): string {
  return `p${linkIndex}`;
}

/** A random, locally administered unicast MAC for a link the topology gives none. */
export function newLinkMac(): string {
  const b = randomBytes(5);
  return ['02', ...[...b].map((x) => x.toString(16).padStart(2, '0'))].join(':');
}

export function resolvConf(node: Topology['nodes'][number]): string {
  if (!node.dns) return '# No name server is configured on this machine.\n';
  const lines = node.dns.nameservers.map((ns) => `nameserver ${ns}`);
  if (node.dns.search.length) lines.push(`search ${node.dns.search.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

/** The wiring of every node, in topology order; `macFor` picks the MAC of links without one. */
export function planWiring(topology: Topology, macFor: (linkIndex: number) => string = newLinkMac): NodeWiring[] {
  const segIndex = new Map(topology.segments.map((s, i) => [s.name, i]));
  return topology.nodes.map((node) => {
    const links: LinkPlan[] = [];
    let gateway: NodeWiring['gateway'];
    topology.links.forEach((l, i) => {
      if (l.node !== node.name) return;
      links.push({
        port: portName(i),
        bridge: bridgeName(segIndex.get(l.segment)!),
        interface: l.interface,
        mac: (l.mac ?? macFor(i)).toLowerCase(),
        ...(l.address ? { address: l.address } : {}),
      });
      if (l.gateway && !gateway) gateway = { via: l.gateway, dev: l.interface };
    });
    return { node: node.name, links, ...(gateway ? { gateway } : {}), resolvConf: resolvConf(node) };
  });
}

export interface WiringOptions {
  /**
   * The engine remaps container root (dockerd --userns-remap). Every node then has a user
   * namespace of its own, whose namespace limits are set (NODE_NAMESPACE_LIMITS), and `ip netns
   * exec` mounts a fresh sysfs, which the kernel allows inside a user namespace only when a
   * writable-superblock sysfs is already mounted there (mount_too_revealing); runc mounts the
   * node's sysfs read-only, and only a caller in the host's user namespace (the fabric) may
   * remount that superblock (node-mounts.ts).
   */
  usernsRemap?: boolean;
  /** Plans made beforehand (createInstance keeps them as labels); made here when absent. */
  plans?: NodeWiring[];
}

/**
 * Lines run in a private mount namespace of the fabric where /proc/sys is writable: the fabric's
 * own /proc/sys is read-only, and these writes reach only the namespaces entered (the instance's
 * network namespace, each node's user namespace), never the host's.
 */
function privilegedLines(netns: string | undefined, pids: number[], usernsRemap: boolean): string[] {
  const inner: string[] = ['mount -o remount,rw,bind /proc/sys'];
  if (netns) {
    inner.push(
      `nsenter --net=/run/netns/${netns} sh -ec 'for f in all default; do echo 1 > /proc/sys/net/ipv6/conf/$f/disable_ipv6; done; echo 0 > /proc/sys/net/ipv4/conf/all/forwarding'`,
    );
  }
  if (usernsRemap) {
    const writes = Object.entries(NODE_NAMESPACE_LIMITS)
      .map(([k, v]) => `echo ${v} > /proc/sys/user/${k}`)
      .join('; ');
    for (const pid of pids) inner.push(`nsenter -t ${pid} -U -- sh -ec '${writes}'`);
  }
  return ["setpriv --no-new-privs unshare -m sh -e <<'PRAXIS_PRIV_EOF'", ...inner, 'PRAXIS_PRIV_EOF'];
}

/** The bridge-side lines of one node's links (ip -batch, in the instance namespace). */
function portLines(plan: NodeWiring, pid: number): string[] {
  return plan.links.flatMap((l) => [
    `link add ${l.port} type veth peer name ${l.interface} address ${l.mac} netns ${pid}`,
    `link set ${l.port} master ${l.bridge}`,
    // No learning: a flood of made-up source addresses cannot grow the forwarding table.
    `link set ${l.port} type bridge_slave learning off`,
    `link set ${l.port} up`,
  ]);
}

/** Static forwarding entries (bridge -batch): frames for a node's MAC go to its port only. */
function fdbLines(plan: NodeWiring): string[] {
  return plan.links.map((l) => `fdb replace ${l.mac} dev ${l.port} master static`);
}

/**
 * The node side, in a background job per node: addresses, links up and the default route with the
 * fabric's `ip` in the node's network namespace, then the node's mounts and resolv.conf
 * (node-mounts.ts). Nothing of the node's own files is executed, so the same lines are safe when
 * a learner has had the node (re-wiring after a restart).
 */
function nodeLines(plan: NodeWiring, pid: number, usernsRemap: boolean, writeResolvConf: boolean): string[] {
  const batch: string[] = ['link set lo up'];
  for (const l of plan.links) {
    if (l.address) batch.push(`addr add ${l.address} dev ${l.interface}`);
    batch.push(`link set ${l.interface} up`);
  }
  if (plan.gateway) batch.push(`route add default via ${plan.gateway.via} dev ${plan.gateway.dev}`);
  return [
    '(',
    `nsenter -t ${pid} -n -- ip -batch - <<'PRAXIS_IP_EOF'`,
    ...batch,
    'PRAXIS_IP_EOF',
    ...nodeMountsLines(pid, usernsRemap, writeResolvConf ? plan.resolvConf : undefined),
    ') &',
    'pids="$pids $!"',
  ];
}

function batchBlock(tool: 'ip' | 'bridge', netns: string, lines: string[], tag: string): string[] {
  if (lines.length === 0) return [];
  return [`${tool} -n ${netns} -batch - <<'${tag}'`, ...lines, tag];
}

/** `netns` is the instance's namespace in the fabric (its id), made by the script itself. */
export function buildWiringScript(topology: Topology, pids: NodePid[], netns: string, options: WiringOptions = {}): string {
  const pidOf = new Map(pids.map((p) => [p.name, p.pid]));
  const plans = options.plans ?? planWiring(topology);
  const remap = options.usernsRemap ?? false;
  const pidFor = (node: string) => {
    const pid = pidOf.get(node);
    if (pid === undefined) throw new Error(`no pid for node ${node}`);
    return pid;
  };

  // Segments: one bridge each, STP off and no forward delay, so ports forward at once; no
  // multicast snooping, so no multicast database to fill (multicast floods like broadcast).
  const bridgeSide: string[] = topology.segments.flatMap((_, i) => [
    `link add ${bridgeName(i)} type bridge forward_delay 0 stp_state 0 mcast_snooping 0`,
    `link set ${bridgeName(i)} up`,
  ]);
  // Links: create each pair with the node end directly inside the node's namespace. Interface
  // names and MACs are validated by the topology schema, so they need no quoting here.
  for (const plan of plans) bridgeSide.push(...portLines(plan, pidFor(plan.node)));

  const lines: string[] = ['set -eu', 'pids=', `ip netns add ${netns}`];
  lines.push(...privilegedLines(netns, plans.map((p) => pidFor(p.node)), remap));
  lines.push(...batchBlock('ip', netns, bridgeSide, 'PRAXIS_FABRIC_EOF'));
  lines.push(...batchBlock('bridge', netns, plans.flatMap(fdbLines), 'PRAXIS_FDB_EOF'));
  // Node side, one process per node and all nodes at once.
  for (const plan of plans) lines.push(...nodeLines(plan, pidFor(plan.node), remap, true));
  // `wait <pid>` returns each job's status, so `set -e` stops on the first node that failed.
  lines.push('for p in $pids; do wait "$p"; done');
  lines.push(...recordWiredLines(netns, plans.map((p) => ({ name: p.node, pid: pidFor(p.node) }))));
  return `${lines.join('\n')}\n`;
}

/** Where the fabric notes which process of each node it wired (repair-instances.ts compares). */
export const WIRED_DIR = '/run/praxis/wired';

function recordWiredLines(netns: string, nodes: NodePid[]): string[] {
  return [
    `mkdir -p ${WIRED_DIR}`,
    ...nodes.map((n) => `{ grep -v '^${n.name} ' ${WIRED_DIR}/${netns} 2>/dev/null || true; echo '${n.name} ${n.pid}'; } > ${WIRED_DIR}/${netns}.new && mv ${WIRED_DIR}/${netns}.new ${WIRED_DIR}/${netns}`),
  ];
}

/**
 * Wires one node again into its instance: its container restarted (its init died), so it has a new
 * network namespace and its old veth pairs are gone. With `bridges`, the instance namespace is
 * made again first (the fabric restarted and lost it). Stale ports are removed first, so running
 * it twice is harmless.
 */
export function buildRewireScript(
  plan: NodeWiring,
  pid: number,
  netns: string,
  options: { usernsRemap?: boolean; bridges?: string[] } = {},
): string {
  const remap = options.usernsRemap ?? false;
  const lines: string[] = ['set -eu', 'pids='];
  if (options.bridges) {
    lines.push(`[ -e /run/netns/${netns} ] || ip netns add ${netns}`);
    lines.push(...privilegedLines(netns, [pid], remap));
    for (const b of options.bridges) {
      lines.push(`ip -n ${netns} link show ${b} >/dev/null 2>&1 || ip -n ${netns} link add ${b} type bridge forward_delay 0 stp_state 0 mcast_snooping 0`);
      lines.push(`ip -n ${netns} link set ${b} up`);
    }
  } else {
    lines.push(`[ -e /run/netns/${netns} ] || { echo "instance namespace ${netns} is gone" >&2; exit 3; }`);
    lines.push(...privilegedLines(undefined, [pid], remap));
  }
  for (const l of plan.links) lines.push(`ip -n ${netns} link del ${l.port} 2>/dev/null || true`);
  lines.push(...batchBlock('ip', netns, portLines(plan, pid), 'PRAXIS_FABRIC_EOF'));
  lines.push(...batchBlock('bridge', netns, fdbLines(plan), 'PRAXIS_FDB_EOF'));
  // resolv.conf is a file of the node: it kept whatever the learner made of it.
  lines.push(...nodeLines(plan, pid, remap, false));
  lines.push('for p in $pids; do wait "$p"; done');
  lines.push(...recordWiredLines(netns, [{ name: plan.node, pid }]));
  return `${lines.join('\n')}\n`;
}

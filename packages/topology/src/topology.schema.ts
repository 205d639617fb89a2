// The topology of a lab: nodes, the L2 segments joining them, and the links that plug a node's
// interface into a segment with a fixed address. Parsing validates shape (zod) and then the
// cross-references zod cannot see (unknown names, duplicate addresses, gateways off-subnet).
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

const NAME = /^[a-z][a-z0-9-]{0,30}$/;
// Linux interface names: at most 15 bytes, no slash or whitespace.
const IFNAME = /^[A-Za-z][A-Za-z0-9_.-]{0,14}$/;
const HOSTNAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/** A node's writable disk space by default (resources.diskMb). */
export const DEFAULT_DISK_MB = 1024;

/**
 * A Debian package name (Debian Policy 5.6.1): lower-case letters, digits, "+", "-" and ".", at
 * least two characters, starting with a letter or digit. No version, release or architecture:
 * the lab image installs what the node image's Debian release has.
 */
export const DEBIAN_PACKAGE = /^[a-z0-9][a-z0-9+.-]+$/;
/** Packages one node may name: a lab image is a few tools, not a distribution. */
export const MAX_NODE_PACKAGES = 40;

export const debianPackageSchema = z
  .string()
  .max(100, 'is longer than a Debian package name can be here (100 characters)')
  .regex(DEBIAN_PACKAGE, 'is not a Debian package name: lower-case letters, digits, "+", "-" and ".", at least two characters, starting with a letter or digit (no version or architecture), like nginx or python3');

const sysctlValue = z.union([z.string(), z.number()]).transform(String);

export const nodeSchema = z.strictObject({
  name: z.string().regex(NAME, 'must be lower-case letters, digits and dashes, starting with a letter'),
  image: z.string().min(1).default('node'),
  hostname: z.string().regex(HOSTNAME, 'is not a valid host name').optional(),
  // Only network sysctls: they are per network namespace, so one node cannot change another.
  sysctls: z
    .record(z.string().regex(/^net\.[a-z0-9_.-]+$/, 'only net.* sysctls may be set'), sysctlValue)
    .default({}),
  resources: z
    .strictObject({
      memoryMb: z.number().int().min(32).max(4096).default(256),
      cpus: z.number().positive().max(4).default(1),
      pids: z.number().int().min(32).max(8192).default(512),
      /**
       * Writable disk space of the node, beyond its image, in MiB: what files, packages and
       * container images the learner adds may take. Enforced where the engine can
       * (EngineFeatures.diskLimits); a Kubernetes node holding images wants several GiB.
       */
      diskMb: z.number().int().min(64).max(65536).default(DEFAULT_DISK_MB),
    })
    .default({ memoryMb: 256, cpus: 1, pids: 512, diskMb: DEFAULT_DISK_MB }),
  dns: z
    .strictObject({
      nameservers: z.array(z.string()).default([]),
      search: z.array(z.string()).default([]),
    })
    .optional(),
  /**
   * Debian packages installed into the node's image (`apt-get install --no-install-recommends`):
   * the sandbox builds `praxis-lab:<hash>` FROM the node's image once, tagged by the hash of that
   * image and the sorted list, and starts the node from it (docs/lab-format.md, "Packages").
   */
  packages: z
    .array(debianPackageSchema)
    .max(MAX_NODE_PACKAGES, `a node may name at most ${MAX_NODE_PACKAGES} packages`)
    .default([])
    .transform((list) => [...new Set(list)].sort()),
  /**
   * Script run as root in the node once its links are up: by the interpreter its `#!` line names
   * (`#!/bin/bash`, `#!/usr/bin/env python3`), by `sh` when it has none.
   */
  setup: z.string().optional(),
  /** The setup script's file name, e.g. `setup/b.sh`: errors name it and its line. */
  setupSource: z.string().regex(/^[A-Za-z0-9._/-]{1,200}$/, 'must be a relative file name').refine((p) => !p.split('/').includes('..'), 'must not contain ".."').optional(),
  /** Environment of the setup script (lab variables): no prelude, so its line numbers are the file's. */
  setupEnv: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be a shell variable name'), z.string()).optional(),
  /**
   * Files copied into the node before its setup runs (a lab's `files:`): absolute `path`, text
   * `content`, octal `mode` (default 0644). Parent directories are created.
   */
  files: z
    .array(
      z.strictObject({
        path: z.string().regex(/^\/[^\0]{0,4095}$/, 'must be an absolute path').refine((p) => !p.split('/').includes('..'), 'must not contain ".."'),
        content: z.string().max(1024 * 1024),
        mode: z.string().regex(/^0?[0-7]{3,4}$/, 'must be an octal mode like 0644 or 0755').default('0644'),
      }),
    )
    .max(200)
    .default([]),
});

export const segmentSchema = z.strictObject({
  name: z.string().regex(NAME, 'must be lower-case letters, digits and dashes, starting with a letter'),
});

export const linkSchema = z.strictObject({
  node: z.string(),
  interface: z.string().regex(IFNAME, 'must be a Linux interface name of at most 15 characters').default('eth0'),
  segment: z.string(),
  /** Address with prefix, e.g. 192.168.1.5/24. Omit for an interface the learner configures. */
  address: z.string().optional(),
  mac: z.string().regex(MAC, 'must look like 02:42:c0:a8:01:05').optional(),
  /** Default route of the node via this link. */
  gateway: z.string().optional(),
});

/**
 * A kubeadm cluster on some of the nodes (docs/kubernetes.md). Its nodes run the `k8s` image; the
 * first address of each node's links is its node IP. Options cover what the course's labs need:
 * a cluster without a network plugin (nodes stay NotReady until the learner applies one), the
 * kube-proxy mode, and Traefik as the Ingress and/or Gateway API controller.
 */
export const clusterSchema = z.strictObject({
  controlPlane: z.string(),
  workers: z.array(z.string()).max(8).default([]),
  /** Cluster name in kubeconfigs. */
  name: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be lower-case letters, digits and dashes').default('kubernetes'),
  /** `praxis-net` (bridge + host-local per node, routes between nodes) or `none`. */
  cni: z.enum(['praxis-net', 'none']).default('praxis-net'),
  podSubnet: z.string().default('10.244.0.0/16'),
  serviceSubnet: z.string().default('10.96.0.0/12'),
  kubeProxyMode: z.enum(['iptables', 'nftables']).default('iptables'),
  /** Traefik as the cluster's Ingress controller (IngressClass "traefik", NodePort 30080). */
  ingress: z.boolean().default(false),
  /** The Gateway API CRDs and Traefik's Gateway API provider (GatewayClass "traefik"). */
  gateway: z.boolean().default(false),
  /** Time limit of the whole bootstrap (kubeadm init to add-ons ready). */
  timeoutSeconds: z.number().int().min(10).max(1200).default(300),
});

export const topologySchema = z.strictObject({
  nodes: z.array(nodeSchema).min(1).max(16),
  segments: z.array(segmentSchema).max(16).default([]),
  links: z.array(linkSchema).max(64).default([]),
  cluster: clusterSchema.optional(),
});

export type TopologyCluster = z.output<typeof clusterSchema>;

/** Image, memory and pids of cluster nodes that did not ask for more (256 MB runs no kubelet). */
export const CLUSTER_NODE_DEFAULTS = {
  image: 'k8s',
  controlPlaneMemoryMb: 1280,
  workerMemoryMb: 640,
  pids: 4096,
  /** Writable disk of a cluster node: containerd's snapshots, pods' writes, etcd, logs. */
  diskMb: 4096,
  upstreamDns: '198.51.100.53',
} as const;

export type TopologyInput = z.input<typeof topologySchema>;
export type Topology = z.output<typeof topologySchema>;
export type TopologyNode = z.output<typeof nodeSchema>;
export type TopologyLink = z.output<typeof linkSchema>;

export interface TopologyIssue {
  /** Where the problem is, e.g. `links[2].segment`. */
  path: string;
  message: string;
}

export class TopologyError extends Error {
  readonly code = 'TOPOLOGY_INVALID';
  constructor(readonly issues: TopologyIssue[]) {
    super(`invalid topology:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'TopologyError';
  }
}

/**
 * `['links', 2, 'segment']` -> `links[2].segment`: the form of every field path Praxis shows, here
 * and in @praxis/labs, whose parseFieldPath reads a topology issue's path back.
 */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Parses and validates a topology; throws TopologyError listing every problem found. */
export function parseTopology(input: unknown): Topology {
  const parsed = topologySchema.safeParse(input);
  if (!parsed.success) {
    throw new TopologyError(parsed.error.issues.map((i) => ({ path: formatFieldPath(i.path) || '(topology)', message: i.message })));
  }
  const issues = [...checkReferences(parsed.data), ...checkCluster(parsed.data)];
  if (issues.length > 0) throw new TopologyError(issues);
  return applyClusterDefaults(parsed.data);
}

/** The cluster's nodes in order: control plane first. */
export function clusterNodes(t: Topology): string[] {
  return t.cluster ? [t.cluster.controlPlane, ...t.cluster.workers] : [];
}

/**
 * Cluster nodes left at the general defaults get the k8s image, the memory a control plane or
 * worker needs, more pids (kubelet, containerd and Go threads) and forwarding on.
 */
function applyClusterDefaults(t: Topology): Topology {
  if (!t.cluster) return t;
  const cp = t.cluster.controlPlane;
  const members = new Set(clusterNodes(t));
  return {
    ...t,
    nodes: t.nodes.map((n) => {
      if (!members.has(n.name)) return n;
      const memoryMb = n.resources.memoryMb === 256 ? (n.name === cp ? CLUSTER_NODE_DEFAULTS.controlPlaneMemoryMb : CLUSTER_NODE_DEFAULTS.workerMemoryMb) : n.resources.memoryMb;
      return {
        ...n,
        image: n.image === 'node' ? CLUSTER_NODE_DEFAULTS.image : n.image,
        resources: {
          ...n.resources,
          memoryMb,
          pids: n.resources.pids === 512 ? CLUSTER_NODE_DEFAULTS.pids : n.resources.pids,
          diskMb: n.resources.diskMb === DEFAULT_DISK_MB ? CLUSTER_NODE_DEFAULTS.diskMb : n.resources.diskMb,
        },
        sysctls: { 'net.ipv4.ip_forward': '1', ...n.sysctls },
        // CoreDNS forwards what is not cluster.local to the node's name servers and refuses to
        // start without one: a simulated upstream in a documentation range (no route leads there).
        dns: n.dns ?? { nameservers: [CLUSTER_NODE_DEFAULTS.upstreamDns], search: [] },
      };
    }),
  };
}

function checkCluster(t: Topology): TopologyIssue[] {
  const c = t.cluster;
  if (!c) return [];
  const issues: TopologyIssue[] = [];
  const names = t.nodes.map((n) => n.name);
  const seen = new Set<string>();
  [c.controlPlane, ...c.workers].forEach((name, i) => {
    const at = i === 0 ? 'cluster.controlPlane' : `cluster.workers[${i - 1}]`;
    if (!names.includes(name)) issues.push({ path: at, message: `unknown node "${name}" (nodes: ${names.join(', ')})` });
    else if (seen.has(name)) issues.push({ path: at, message: `"${name}" is already a node of the cluster` });
    else if (!t.links.some((l) => l.node === name && l.address)) {
      issues.push({ path: at, message: `node "${name}" has no link with an address: a cluster node needs one for its node IP` });
    }
    seen.add(name);
  });
  for (const field of ['podSubnet', 'serviceSubnet'] as const) {
    const cidr = parseCidr(c[field]);
    if (!cidr) issues.push({ path: `cluster.${field}`, message: `"${c[field]}" is not an IPv4 network like 10.244.0.0/16` });
    else if (cidr[1] > 24 || cidr[1] < 8) issues.push({ path: `cluster.${field}`, message: `/${cidr[1]} is outside /8 to /24` });
  }
  const pod = parseCidr(c.podSubnet);
  const svc = parseCidr(c.serviceSubnet);
  if (pod && svc && (pod[0].match(svc) || svc[0].match(pod))) issues.push({ path: 'cluster.serviceSubnet', message: `${c.serviceSubnet} overlaps the pod subnet ${c.podSubnet}` });
  return issues;
}

function parseCidr(text: string): [ipaddr.IPv4, number] | undefined {
  try {
    const [addr, prefix] = ipaddr.IPv4.parseCIDR(text);
    return [addr, prefix];
  } catch {
    return undefined;
  }
}

/** The simulated "internet" of a lab (RFC 5737): the only public-looking addresses a lab may own. */
const DOCUMENTATION_RANGES = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'].map((c) => ipaddr.IPv4.parseCIDR(c));

/**
 * Why an address may not appear in a lab, or undefined when it may: private (RFC 1918), shared
 * (100.64.0.0/10), link-local and the documentation ranges only. A real public address in a lab
 * would shadow that host for the learner and invite traffic aimed off the host.
 */
export function describeForbiddenAddress(addr: ipaddr.IPv4): string | undefined {
  const range = addr.range();
  if (['private', 'carrierGradeNat', 'linkLocal'].includes(range)) return undefined;
  if (DOCUMENTATION_RANGES.some((r) => addr.match(r))) return undefined;
  if (['loopback', 'multicast', 'unspecified', 'broadcast'].includes(range)) return `${addr.toString()} is a ${range} address`;
  return `${addr.toString()} is a public address: a lab uses private ranges (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16) and, for a simulated internet, the documentation ranges 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24`;
}

function checkReferences(t: Topology): TopologyIssue[] {
  const issues: TopologyIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });

  const nodeNames = new Map<string, number>();
  t.nodes.forEach((n, i) => {
    if (nodeNames.has(n.name)) add(`nodes[${i}].name`, `"${n.name}" is already the name of nodes[${nodeNames.get(n.name)}]`);
    else nodeNames.set(n.name, i);
    for (const [j, ns] of (n.dns?.nameservers ?? []).entries()) {
      if (!ipaddr.isValid(ns)) add(`nodes[${i}].dns.nameservers[${j}]`, `"${ns}" is not an IP address`);
      else if (ipaddr.IPv4.isValidFourPartDecimal(ns)) {
        const why = describeForbiddenAddress(ipaddr.IPv4.parse(ns));
        if (why && !why.includes('loopback')) add(`nodes[${i}].dns.nameservers[${j}]`, why);
      }
    }
  });
  const segmentNames = new Map<string, number>();
  t.segments.forEach((s, i) => {
    if (segmentNames.has(s.name)) add(`segments[${i}].name`, `"${s.name}" is already the name of segments[${segmentNames.get(s.name)}]`);
    else segmentNames.set(s.name, i);
  });

  const interfaces = new Map<string, number>();
  const addresses = new Map<string, number>();
  const gateways = new Map<string, number>();
  t.links.forEach((l, i) => {
    const at = `links[${i}]`;
    if (!nodeNames.has(l.node)) add(`${at}.node`, `unknown node "${l.node}" (nodes: ${[...nodeNames.keys()].join(', ')})`);
    if (!segmentNames.has(l.segment)) {
      const known = [...segmentNames.keys()];
      add(`${at}.segment`, `unknown segment "${l.segment}" (segments: ${known.length ? known.join(', ') : 'none defined'})`);
    }
    const ifKey = `${l.node}/${l.interface}`;
    if (interfaces.has(ifKey)) add(`${at}.interface`, `node "${l.node}" already has an interface "${l.interface}" (links[${interfaces.get(ifKey)}])`);
    else interfaces.set(ifKey, i);
    if (l.interface === 'lo') add(`${at}.interface`, '"lo" is the loopback interface and cannot be linked');

    let cidr: [ipaddr.IPv4, number] | undefined;
    if (l.address !== undefined) {
      cidr = parseCidr(l.address);
      if (!cidr) {
        add(`${at}.address`, `"${l.address}" is not an IPv4 address with a prefix length, like 192.168.1.5/24`);
      } else {
        const [addr, prefix] = cidr;
        const ip = addr.toString();
        if (addresses.has(ip)) add(`${at}.address`, `${ip} is already used by links[${addresses.get(ip)}]`);
        else addresses.set(ip, i);
        if (prefix < 8) add(`${at}.address`, `prefix /${prefix} is too wide for a lab segment (use /8 or longer)`);
        if (prefix <= 30) {
          const net = ipaddr.IPv4.networkAddressFromCIDR(l.address).toString();
          const bcast = ipaddr.IPv4.broadcastAddressFromCIDR(l.address).toString();
          if (ip === net) add(`${at}.address`, `${ip} is the network address of ${net}/${prefix}`);
          if (ip === bcast) add(`${at}.address`, `${ip} is the broadcast address of ${net}/${prefix}`);
        }
        const forbidden = describeForbiddenAddress(addr);
        if (forbidden) add(`${at}.address`, forbidden);
      }
    }
    if (l.gateway !== undefined) {
      if (!ipaddr.IPv4.isValidFourPartDecimal(l.gateway)) {
        add(`${at}.gateway`, `"${l.gateway}" is not an IPv4 address`);
      } else if (!cidr) {
        add(`${at}.gateway`, 'a gateway needs an address on the same link');
      } else {
        const gw = ipaddr.IPv4.parse(l.gateway);
        if (!gw.match(cidr)) add(`${at}.gateway`, `${l.gateway} is not inside ${l.address}`);
        if (gw.toString() === cidr[0].toString()) add(`${at}.gateway`, `${l.gateway} is the link's own address`);
      }
      if (gateways.has(l.node)) add(`${at}.gateway`, `node "${l.node}" already has a default route (links[${gateways.get(l.node)}])`);
      else gateways.set(l.node, i);
    }
  });
  return issues;
}

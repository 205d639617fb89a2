import { describe, expect, it } from 'vitest';
import { parseTopology, TopologyError } from './topology.schema';

const router = () => ({
  nodes: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
  segments: [{ name: 'lan1' }, { name: 'lan2' }],
  links: [
    { node: 'a', segment: 'lan1', address: '192.168.1.5/24', gateway: '192.168.1.6' },
    { node: 'b', segment: 'lan1', address: '192.168.1.6/24' },
    { node: 'b', interface: 'eth1', segment: 'lan2', address: '192.168.2.6/24' },
    { node: 'c', segment: 'lan2', address: '192.168.2.5/24' },
  ],
});

function issuesOf(input: unknown) {
  try {
    parseTopology(input);
  } catch (error) {
    expect(error).toBeInstanceOf(TopologyError);
    return (error as TopologyError).issues;
  }
  throw new Error('expected the topology to be refused');
}

describe('parseTopology', () => {
  it('accepts the router lab and fills defaults', () => {
    const t = parseTopology(router());
    expect(t.nodes[0]).toMatchObject({ image: 'node', resources: { memoryMb: 256 } });
    expect(t.links[0]!.interface).toBe('eth0');
  });

  it('takes Debian package names per node, sorted and once each, and refuses anything else', () => {
    const t = router() as ReturnType<typeof router> & { nodes: { name: string; packages?: unknown }[] };
    t.nodes[0]!.packages = ['tree', 'python3', 'g++', 'libc6.1-dev', 'tree'];
    expect(parseTopology(t).nodes.map((n) => n.packages)).toEqual([['g++', 'libc6.1-dev', 'python3', 'tree'], [], []]);
    t.nodes[1]!.packages = ['nginx', 'Nginx', 'x', '-o', 'nginx=1.22', 'curl:amd64', 'a b'];
    const issues = issuesOf(t);
    expect(issues.map((i) => i.path)).toEqual(['nodes[1].packages[1]', 'nodes[1].packages[2]', 'nodes[1].packages[3]', 'nodes[1].packages[4]', 'nodes[1].packages[5]', 'nodes[1].packages[6]']);
    expect(issues[0]!.message).toMatch(/^is not a Debian package name: lower-case letters, digits, "\+", "-" and "\."/);
    t.nodes[1]!.packages = Array.from({ length: 41 }, (_, i) => `pkg${i}`);
    expect(issuesOf(t)).toEqual([{ path: 'nodes[1].packages', message: 'a node may name at most 40 packages' }]);
  });

  it('refuses a duplicate address, naming both links', () => {
    const t = router();
    t.links[3]!.address = '192.168.1.5/24';
    expect(issuesOf(t)).toContainEqual({ path: 'links[3].address', message: '192.168.1.5 is already used by links[0]' });
  });

  it('refuses an unknown segment and lists the known ones', () => {
    const t = router();
    t.links[2]!.segment = 'lan3';
    expect(issuesOf(t)).toContainEqual({ path: 'links[2].segment', message: 'unknown segment "lan3" (segments: lan1, lan2)' });
  });

  it('refuses a bad CIDR', () => {
    for (const bad of ['192.168.1.300/24', '192.168.1.5', '192.168.1.5/33', 'eth0']) {
      const t = router();
      t.links[0]!.address = bad;
      delete (t.links[0] as { gateway?: string }).gateway;
      const issues = issuesOf(t);
      expect(issues[0]).toMatchObject({ path: 'links[0].address' });
      expect(issues[0]!.message).toContain(bad);
    }
  });

  it('accepts private, shared and documentation ranges and refuses public addresses', () => {
    for (const good of ['10.1.2.3/24', '172.20.0.5/16', '192.168.9.9/24', '100.64.1.1/24', '192.0.2.10/24', '198.51.100.7/24', '203.0.113.1/24']) {
      const t = router();
      t.links[0]!.address = good;
      delete (t.links[0] as { gateway?: string }).gateway;
      expect(() => parseTopology(t)).not.toThrow();
    }
    for (const bad of ['8.8.8.20/24', '1.1.1.1/24', '198.18.0.1/15', '172.32.0.1/16']) {
      const t = router();
      t.links[0]!.address = bad;
      delete (t.links[0] as { gateway?: string }).gateway;
      const issue = issuesOf(t).find((i) => i.path === 'links[0].address');
      expect(issue?.message).toMatch(/is a public address: a lab uses private ranges .* the documentation ranges 192\.0\.2\.0\/24/);
    }
    const t = router() as ReturnType<typeof router> & { nodes: Array<Record<string, unknown>> };
    t.nodes[0]!.dns = { nameservers: ['8.8.8.8', '192.168.1.6'] };
    expect(issuesOf(t)).toContainEqual(expect.objectContaining({ path: 'nodes[0].dns.nameservers[0]' }));
    expect(issuesOf(t).some((i) => i.path === 'nodes[0].dns.nameservers[1]')).toBe(false);
  });

  it('refuses a gateway outside the link, an unknown node, a long interface name and a bad sysctl', () => {
    const t = router() as ReturnType<typeof router> & { nodes: Array<Record<string, unknown>> };
    t.links[0]!.gateway = '192.168.2.6';
    t.links[1]!.node = 'z';
    (t.links[2] as { interface?: string }).interface = 'a-very-long-interface-name';
    t.nodes[0]!.sysctls = { 'kernel.core_pattern': '|/x' };
    const paths = issuesOf(t).map((i) => i.path);
    // Shape errors are reported first; cross-references once the shape is right.
    expect(paths).toEqual(expect.arrayContaining(['links[2].interface', 'nodes[0].sysctls.kernel.core_pattern']));
    const t2 = router();
    t2.links[0]!.gateway = '192.168.2.6';
    t2.links[1]!.node = 'z';
    const issues = issuesOf(t2);
    expect(issues).toContainEqual({ path: 'links[0].gateway', message: '192.168.2.6 is not inside 192.168.1.5/24' });
    expect(issues).toContainEqual({ path: 'links[1].node', message: 'unknown node "z" (nodes: a, b, c)' });
  });

  it('refuses duplicate names, network and broadcast addresses, and unknown fields', () => {
    const t = router() as Record<string, unknown> & ReturnType<typeof router>;
    t.nodes.push({ name: 'a' });
    t.links[1]!.address = '192.168.1.0/24';
    t.links[2]!.address = '192.168.2.255/24';
    const issues = issuesOf(t);
    expect(issues).toContainEqual({ path: 'nodes[3].name', message: '"a" is already the name of nodes[0]' });
    expect(issues.find((i) => i.path === 'links[1].address')?.message).toContain('network address');
    expect(issues.find((i) => i.path === 'links[2].address')?.message).toContain('broadcast address');
    expect(issuesOf({ ...router(), extra: 1 })[0]!.message).toMatch(/extra/);
  });

  it('produces one readable message for people', () => {
    const t = router();
    t.links[2]!.segment = 'lan3';
    expect(() => parseTopology(t)).toThrow(/invalid topology:\n  links\[2\]\.segment: unknown segment "lan3"/);
  });
});

describe('parseTopology with a cluster', () => {
  const cluster = (extra: Record<string, unknown> = {}) => ({
    nodes: [{ name: 'controlplane' }, { name: 'node01' }, { name: 'client' }],
    segments: [{ name: 'lan' }],
    links: [
      { node: 'controlplane', segment: 'lan', address: '192.168.10.2/24' },
      { node: 'node01', segment: 'lan', address: '192.168.10.3/24' },
      { node: 'client', segment: 'lan', address: '192.168.10.4/24' },
    ],
    cluster: { controlPlane: 'controlplane', workers: ['node01'], ...extra },
  });

  it('gives cluster nodes the k8s image, more memory and pids, and forwarding; other nodes keep theirs', () => {
    const t = parseTopology(cluster());
    expect(t.cluster).toMatchObject({ cni: 'praxis-net', podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/12', kubeProxyMode: 'iptables', ingress: false });
    expect(t.nodes[0]).toMatchObject({ image: 'k8s', resources: { memoryMb: 1280, pids: 4096, diskMb: 4096 }, sysctls: { 'net.ipv4.ip_forward': '1' } });
    expect(t.nodes[1]).toMatchObject({ image: 'k8s', resources: { memoryMb: 640 }, dns: { nameservers: ['198.51.100.53'] } });
    expect(t.nodes[2]).toMatchObject({ image: 'node', resources: { memoryMb: 256, diskMb: 1024 } });
    expect(t.nodes[2]!.dns).toBeUndefined();
  });

  it('keeps what the author set on a cluster node', () => {
    const input = cluster();
    input.nodes[1] = { name: 'node01', resources: { memoryMb: 1024 }, sysctls: { 'net.ipv4.ip_forward': 0 } } as never;
    const t = parseTopology(input);
    expect(t.nodes[1]).toMatchObject({ resources: { memoryMb: 1024 }, sysctls: { 'net.ipv4.ip_forward': '0' } });
  });

  it('names unknown, repeated and address-less cluster nodes, bad subnets and overlaps', () => {
    const input = cluster({ workers: ['node9', 'controlplane'], podSubnet: '10.96.0.0/16', serviceSubnet: 'nope' });
    expect(issuesOf(input)).toEqual([
      { path: 'cluster.workers[0]', message: 'unknown node "node9" (nodes: controlplane, node01, client)' },
      { path: 'cluster.workers[1]', message: '"controlplane" is already a node of the cluster' },
      { path: 'cluster.serviceSubnet', message: '"nope" is not an IPv4 network like 10.244.0.0/16' },
    ]);
    const noAddress = cluster();
    noAddress.links = noAddress.links.filter((l) => l.node !== 'node01');
    expect(issuesOf(noAddress)).toEqual([
      { path: 'cluster.workers[0]', message: 'node "node01" has no link with an address: a cluster node needs one for its node IP' },
    ]);
    expect(issuesOf(cluster({ serviceSubnet: '10.244.128.0/20' }))).toEqual([
      { path: 'cluster.serviceSubnet', message: '10.244.128.0/20 overlaps the pod subnet 10.244.0.0/16' },
    ]);
    expect(issuesOf(cluster({ cni: 'weave' }))[0]!.path).toBe('cluster.cni');
  });
});

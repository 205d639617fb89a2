import { describe, expect, it } from 'vitest';
import { parseTopology } from '@praxis/topology';
import { buildRewireScript, buildWiringScript, newLinkMac, planWiring, resolvConf } from './wiring';

const topology = parseTopology({
  nodes: [{ name: 'a', dns: { nameservers: ['192.168.1.100'], search: ['mycompany.com'] } }, { name: 'b' }],
  segments: [{ name: 'lan1' }],
  links: [
    { node: 'a', segment: 'lan1', address: '192.168.1.5/24', gateway: '192.168.1.1', mac: '02:00:00:00:00:05' },
    { node: 'b', interface: 'ens3', segment: 'lan1' },
  ],
});
const pids = [
  { name: 'a', pid: 101 },
  { name: 'b', pid: 202 },
];
const plans = planWiring(topology, (i) => `02:00:00:00:01:0${i}`);

describe('planWiring', () => {
  it("keeps the topology's MACs and picks locally administered unicast ones for the others", () => {
    expect(plans.map((p) => p.links.map((l) => [l.port, l.bridge, l.interface, l.mac]))).toEqual([
      [['p0', 'b0', 'eth0', '02:00:00:00:00:05']],
      [['p1', 'b0', 'ens3', '02:00:00:00:01:01']],
    ]);
    expect(plans[0]!.gateway).toEqual({ via: '192.168.1.1', dev: 'eth0' });
    for (let i = 0; i < 20; i++) expect(newLinkMac()).toMatch(/^02(:[0-9a-f]{2}){5}$/);
  });
});

describe('buildWiringScript', () => {
  const script = buildWiringScript(topology, pids, 'px0123456789', { plans });

  it("makes the instance's namespace in the fabric, one bridge per segment there, and plugs each link into it", () => {
    expect(script).toContain("ip -n px0123456789 -batch - <<'PRAXIS_FABRIC_EOF'\nlink add b0 type bridge forward_delay 0 stp_state 0 mcast_snooping 0");
    expect(script).toContain('link add p0 type veth peer name eth0 address 02:00:00:00:00:05 netns 101\nlink set p0 master b0\n');
    expect(script).toContain('link add p1 type veth peer name ens3 address 02:00:00:00:01:01 netns 202\n');
    // Nothing of the bridge side runs in the fabric's own namespace.
    expect(script).not.toMatch(/^ip link/m);
  });

  it('lets no port learn MAC addresses: one static entry per port, its node end', () => {
    expect(script).toContain('link set p0 type bridge_slave learning off');
    expect(script).toContain('link set p1 type bridge_slave learning off');
    expect(script).toContain("bridge -n px0123456789 -batch - <<'PRAXIS_FDB_EOF'\nfdb replace 02:00:00:00:00:05 dev p0 master static\nfdb replace 02:00:00:00:01:01 dev p1 master static\n");
  });

  it('turns IPv6 off in the instance namespace before any bridge exists', () => {
    const off = script.indexOf("nsenter --net=/run/netns/px0123456789 sh -ec 'for f in all default; do echo 1 > /proc/sys/net/ipv6/conf/$f/disable_ipv6");
    expect(off).toBeGreaterThan(script.indexOf('ip netns add px0123456789'));
    expect(off).toBeLessThan(script.indexOf('link add b0 type bridge'));
  });

  it("configures addresses and the default route with the fabric's ip in the node's network namespace only", () => {
    expect(script).toContain(
      "nsenter -t 101 -n -- ip -batch - <<'PRAXIS_IP_EOF'\nlink set lo up\naddr add 192.168.1.5/24 dev eth0\nlink set eth0 up\nroute add default via 192.168.1.1 dev eth0\nPRAXIS_IP_EOF",
    );
    expect(script).not.toMatch(/addr add .* dev ens3/);
    // Never a node's own binaries: no nsenter into a node's mount namespace.
    expect(script).not.toMatch(/nsenter -t \d+ [^\n]*-m/);
    expect(script).toContain(`perl - 101 0 ${Buffer.from('nameserver 192.168.1.100\nsearch mycompany.com\n').toString('hex')} <<'PRAXIS_PERL_EOF'`);
  });

  it('stops at the first failing command and records the wired pids', () => {
    expect(script.startsWith('set -eu\n')).toBe(true);
    expect(script).toContain('for p in $pids; do wait "$p"; done');
    expect(script).toContain("echo 'a 101'; } > /run/praxis/wired/px0123456789.new");
  });
});

describe('buildWiringScript with a user-namespaced engine', () => {
  const plain = buildWiringScript(topology, pids, 'px0123456789', { plans });
  const remapped = buildWiringScript(topology, pids, 'px0123456789', { plans, usernsRemap: true });

  it("limits namespaces in each node's user namespace, only under remap", () => {
    expect(remapped).toContain("nsenter -t 101 -U -- sh -ec 'echo 32 > /proc/sys/user/max_net_namespaces; echo 0 > /proc/sys/user/max_user_namespaces'");
    expect(remapped).toContain('nsenter -t 202 -U --');
    expect(plain).not.toContain(' -U --');
  });

  it('asks the mount helper for the sysfs arrangement of `ip netns exec` only under remap', () => {
    expect(remapped).toMatch(/^perl - 101 1 /m);
    expect(plain).toMatch(/^perl - 101 0 /m);
  });
});

describe('buildRewireScript', () => {
  const script = buildRewireScript(plans[0]!, 303, 'px0123456789', { usernsRemap: true });
  const withBridges = buildRewireScript(plans[0]!, 303, 'px0123456789', { bridges: ['b0', 'b1'] });

  it("replaces the node's ports in the existing namespace and leaves its resolv.conf alone", () => {
    expect(script).toContain('[ -e /run/netns/px0123456789 ] || {');
    expect(script).toContain('ip -n px0123456789 link del p0 2>/dev/null || true');
    expect(script).toContain('link add p0 type veth peer name eth0 address 02:00:00:00:00:05 netns 303');
    expect(script).toMatch(/^perl - 303 1 '' <<'PRAXIS_PERL_EOF'$/m);
    expect(script).toContain("echo 'a 303'; }");
    expect(script).not.toContain('ip netns add');
  });

  it('makes the namespace and its bridges again when the fabric lost them', () => {
    expect(withBridges).toContain('[ -e /run/netns/px0123456789 ] || ip netns add px0123456789');
    expect(withBridges).toContain('ip -n px0123456789 link add b1 type bridge forward_delay 0 stp_state 0 mcast_snooping 0');
    expect(withBridges).toContain('disable_ipv6');
  });
});

describe('resolvConf', () => {
  it('writes nameserver and search lines, or says none is configured', () => {
    expect(resolvConf(topology.nodes[0]!)).toBe('nameserver 192.168.1.100\nsearch mycompany.com\n');
    expect(resolvConf(topology.nodes[1]!)).toMatch(/^# No name server/);
  });
});

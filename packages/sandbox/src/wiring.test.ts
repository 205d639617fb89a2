import { describe, expect, it } from 'vitest';
import { parseTopology } from './topology.schema';
import { buildWiringScript, resolvConf } from './wiring';

const topology = parseTopology({
  nodes: [{ name: 'a', dns: { nameservers: ['192.168.1.100'], search: ['mycompany.com'] } }, { name: 'b' }],
  segments: [{ name: 'lan1' }],
  links: [
    { node: 'a', segment: 'lan1', address: '192.168.1.5/24', gateway: '192.168.1.1', mac: '02:00:00:00:00:05' },
    { node: 'b', interface: 'ens3', segment: 'lan1' },
  ],
});

describe('buildWiringScript', () => {
  const script = buildWiringScript(
    topology,
    [
      { name: 'a', pid: 101 },
      { name: 'b', pid: 202 },
    ],
    'px0123456789',
  );

  it("makes the instance's namespace in the fabric, one bridge per segment there, and plugs each link into it", () => {
    expect(script).toContain('ip netns add px0123456789\nip -n px0123456789 -batch - <<\'PRAXIS_FABRIC_EOF\'\nlink add b0 type bridge');
    expect(script).toContain('link add p0 type veth peer name eth0 address 02:00:00:00:00:05 netns 101\n');
    expect(script).toContain('link add p1 type veth peer name ens3 netns 202\n');
    expect(script).toContain('link set p1 master b0 up\nPRAXIS_FABRIC_EOF');
    // Nothing of the bridge side runs in the fabric's own namespace.
    expect(script).not.toMatch(/^ip link/m);
  });

  it('configures addresses and the default route inside the node, and none where the learner must', () => {
    expect(script).toContain(
      "nsenter -t 101 -n -m -- /bin/sh -e <<'PRAXIS_NODE_EOF' &\nip -batch - <<'PRAXIS_IP_EOF'\nlink set lo up\naddr add 192.168.1.5/24 dev eth0\nlink set eth0 up\nroute add default via 192.168.1.1 dev eth0\nPRAXIS_IP_EOF",
    );
    expect(script).not.toMatch(/addr add .* dev ens3/);
  });

  it('stops at the first failing command', () => {
    expect(script.startsWith('set -eu\n')).toBe(true);
    expect(script).toContain('for p in $pids; do wait "$p"; done');
  });
});

describe('buildWiringScript with a user-namespaced engine', () => {
  const plain = buildWiringScript(topology, [{ name: 'a', pid: 101 }, { name: 'b', pid: 202 }], 'px0123456789');
  const remapped = buildWiringScript(topology, [{ name: 'a', pid: 101 }, { name: 'b', pid: 202 }], 'px0123456789', { usernsRemap: true });

  it('enters each node with no_new_privs, so the node\'s setuid mount runs as root', () => {
    expect(remapped).toContain('setpriv --no-new-privs nsenter -t 101 -n -m');
    expect(plain).not.toContain('setpriv');
  });

  it('leaves a read-only sysfs with a writable superblock for `ip netns exec`, only under remap', () => {
    expect(remapped).toContain('mount -o remount,rw,nosuid,nodev,noexec /sys');
    expect(remapped).toContain('mount -t sysfs -o ro,nosuid,nodev,noexec sysfs /run/praxis/sysfs');
    // Without a user namespace a writable sysfs superblock would be the host's: never there.
    expect(plain).not.toMatch(/remount,rw[^\n]* \/sys$/m);
    expect(plain).not.toContain('/run/praxis/sysfs');
  });
});

describe('resolvConf', () => {
  it('writes nameserver and search lines, or says none is configured', () => {
    expect(resolvConf(topology.nodes[0]!)).toBe('nameserver 192.168.1.100\nsearch mycompany.com\n');
    expect(resolvConf(topology.nodes[1]!)).toMatch(/^# No name server/);
  });
});

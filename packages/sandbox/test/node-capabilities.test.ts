// The course's commands work in a node without --privileged: network namespaces, veth pairs,
// bridges, NAT and the forwarding sysctl, each started from the topology's initial values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance, type Instance } from '../src';
import { destroyScope, docker, newScope, ok, sh } from './helpers';

const scope = newScope('caps');
let inst: Instance;

beforeAll(async () => {
  inst = await createInstance(
    docker,
    {
      nodes: [
        { name: 'host', sysctls: { 'net.ipv4.ip_forward': 0 } },
        { name: 'lan', setup: 'echo set-up-ran > /root/setup.txt' },
      ],
      segments: [{ name: 'lan' }],
      links: [
        { node: 'host', segment: 'lan', address: '192.168.1.2/24' },
        { node: 'lan', segment: 'lan', address: '192.168.1.3/24' },
      ],
    },
    { scope },
  );
});
afterAll(() => destroyScope(scope));

describe('a node runs the course commands', () => {
  it('is not privileged and has only the capabilities it needs', async () => {
    const info = await docker.getContainer(inst.nodes[0]!.containerId).inspect();
    expect(info.HostConfig.Privileged).toBe(false);
    expect(info.HostConfig.CapAdd?.sort()).toEqual(['NET_ADMIN', 'NET_RAW', 'SYS_ADMIN']);
    expect(info.HostConfig.Memory).toBeGreaterThan(0);
    expect(info.HostConfig.PidsLimit).toBeGreaterThan(0);
    expect(info.HostConfig.NanoCpus).toBeGreaterThan(0);
    expect(info.Config.Labels['praxis.instance']).toBe(inst.id);
    expect(info.Config.Labels['praxis.expires']).toMatch(/^\d{4}-/);
  });

  it('ran the setup script', async () => {
    expect((await ok(inst, 'lan', 'cat /root/setup.txt')).trim()).toBe('set-up-ran');
  });

  it('starts with forwarding at 0 and lets the learner turn it on with sysctl', async () => {
    expect((await ok(inst, 'host', 'sysctl -n net.ipv4.ip_forward')).trim()).toBe('0');
    await ok(inst, 'host', 'sysctl -w net.ipv4.ip_forward=1');
    expect((await ok(inst, 'host', 'cat /proc/sys/net/ipv4/ip_forward')).trim()).toBe('1');
  });

  it('builds the namespaces lab: netns, veth, bridge, host address, NAT', async () => {
    const script = [
      'set -e',
      'ip netns add red',
      'ip netns add blue',
      'ip link add v-net-0 type bridge',
      'ip link set v-net-0 up',
      'ip link add veth-red type veth peer name veth-red-br',
      'ip link add veth-blue type veth peer name veth-blue-br',
      'ip link set veth-red netns red',
      'ip link set veth-blue netns blue',
      'ip link set veth-red-br master v-net-0 up',
      'ip link set veth-blue-br master v-net-0 up',
      'ip -n red addr add 192.168.15.1/24 dev veth-red',
      'ip -n blue addr add 192.168.15.2/24 dev veth-blue',
      'ip -n red link set veth-red up',
      'ip -n blue link set veth-blue up',
      'ip addr add 192.168.15.5/24 dev v-net-0',
      'ip netns exec blue ip route add default via 192.168.15.5',
      'iptables -t nat -A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE',
      'iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.168.15.2:80',
    ].join('\n');
    await ok(inst, 'host', script);
    expect((await ok(inst, 'host', 'ip netns list')).split('\n').map((l) => l.split(' ')[0])).toEqual(
      expect.arrayContaining(['red', 'blue']),
    );
    expect((await sh(inst, 'host', 'ip netns exec red ping -c1 -W1 192.168.15.2')).exitCode).toBe(0);
    expect((await sh(inst, 'host', 'ping -c1 -W1 192.168.15.1')).exitCode).toBe(0);
    expect(await ok(inst, 'host', 'iptables -t nat -S POSTROUTING')).toContain('-s 192.168.15.0/24 -j MASQUERADE');
    // With forwarding on and MASQUERADE, blue reaches the LAN node as the host's address.
    expect((await sh(inst, 'host', 'ip netns exec blue ping -c1 -W1 192.168.1.3')).exitCode).toBe(0);
    const arp = await ok(inst, 'host', 'ip netns exec red ip neigh');
    expect(arp).toContain('192.168.15.2');
  });

  it('does not let the learner write kernel-wide sysctls through /proc/sys', async () => {
    const r = await sh(inst, 'host', 'echo 1 > /proc/sys/kernel/sysrq');
    expect(r.exitCode).not.toBe(0);
  });
});

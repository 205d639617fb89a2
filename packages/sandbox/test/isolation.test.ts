// What a learner's node must not reach: another instance, the host's services, the Docker
// bridge gateway, or any address outside its lab. All probes stay on this machine.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance, type Instance } from '../src';
import { canPing, destroyScope, docker, newScope, ok, routerTopology, sh } from './helpers';

const scope = newScope('isolation');
let mine: Instance;
let other: Instance;
let server: Server;
let port: number;
let dockerGateway: string;

beforeAll(async () => {
  // The other instance owns an address the first one does not have, with a listener on it.
  const otherTopology = {
    nodes: [{ name: 'x' }],
    segments: [{ name: 'lan1' }],
    links: [{ node: 'x', segment: 'lan1', address: '192.168.1.99/24' }],
  };
  [mine, other] = await Promise.all([
    createInstance(docker, routerTopology, { scope }),
    createInstance(docker, otherTopology, { scope }),
  ]);
  // A service on the host, on every address (so loopback and the Docker bridge both carry it).
  server = createServer((s) => s.end('host-secret\n'));
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  port = (server.address() as { port: number }).port;
  const bridge = await docker.getNetwork('bridge').inspect();
  dockerGateway = bridge.IPAM?.Config?.[0]?.Gateway ?? '172.17.0.1';
  // Worst case: the learner points a default route into the lab.
  await ok(mine, 'a', 'ip route add default via 192.168.1.6');
  await ok(mine, 'b', 'echo 1 > /proc/sys/net/ipv4/ip_forward');
  await ok(other, 'x', 'setsid nc -lk 7000 </dev/null >/dev/null 2>&1 &');
});
afterAll(async () => {
  server?.close();
  await destroyScope(scope);
});

describe('isolation of a node', () => {
  it('cannot reach a node of another instance', async () => {
    expect(await canPing(other, 'x', '192.168.1.99')).toBe(true);
    expect(await canPing(mine, 'a', '192.168.1.99')).toBe(false);
    const r = await sh(mine, 'a', 'nc -z -w 1 192.168.1.99 7000');
    expect(r.exitCode).not.toBe(0);
    const arp = await sh(mine, 'a', 'ip neigh show 192.168.1.99');
    expect(arp.stdout).not.toContain('lladdr');
  });

  it("cannot reach the host's loopback services", async () => {
    // The host service answers on the host's loopback...
    const { createConnection } = await import('node:net');
    const reply = await new Promise<string>((resolve, reject) => {
      const c = createConnection({ host: '127.0.0.1', port }, () => undefined);
      c.on('data', (d) => resolve(d.toString()));
      c.on('error', reject);
    });
    expect(reply).toBe('host-secret\n');
    // ...but a node's 127.0.0.1 is its own loopback.
    const r = await sh(mine, 'a', `nc -w 1 127.0.0.1 ${port} </dev/null`);
    expect(r.stdout).not.toContain('host-secret');
    expect(r.exitCode).not.toBe(0);
  });

  it('cannot reach the Docker bridge gateway', async () => {
    const r = await sh(mine, 'a', `nc -w 1 ${dockerGateway} ${port} </dev/null`);
    expect(r.stdout).not.toContain('host-secret');
    expect(r.exitCode).not.toBe(0);
    expect(await canPing(mine, 'a', dockerGateway)).toBe(false);
  });

  it('has no route off the lab without one, and no way out with one', async () => {
    const route = await sh(mine, 'c', 'ip route get 203.0.113.10');
    expect(route.exitCode).not.toBe(0);
    expect(route.stderr).toMatch(/unreachable/i);
    // a has a default route into the lab (set above): packets reach B and die there.
    expect(await canPing(mine, 'a', '203.0.113.10')).toBe(false);
    expect(await canPing(mine, 'a', '198.51.100.1')).toBe(false);
  });

  it('has no interface but loopback and its lab links', async () => {
    const links = await ok(mine, 'b', "ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1");
    expect(links.trim().split('\n').sort()).toEqual(['eth0', 'eth1', 'lo']);
  });
});

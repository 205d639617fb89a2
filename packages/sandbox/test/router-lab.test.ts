// Two concurrent instances of the course's router lab: same fixed addresses, fully separate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance, type Instance } from '../src';
import { canPing, destroyScope, docker, newScope, ok, routerTopology, sh } from './helpers';

const scope = newScope('router');
let one: Instance;
let two: Instance;

beforeAll(async () => {
  [one, two] = await Promise.all([
    createInstance(docker, routerTopology, { scope, owner: 'router-1' }),
    createInstance(docker, routerTopology, { scope, owner: 'router-2' }),
  ]);
});
afterAll(() => destroyScope(scope));

describe('router lab, two instances at once', () => {
  it('gives both instances the same addresses and host names', async () => {
    for (const inst of [one, two]) {
      expect(await ok(inst, 'a', 'ip -4 -o addr show dev eth0')).toContain('192.168.1.5/24');
      const b = await ok(inst, 'b', 'ip -4 -o addr show');
      expect(b).toContain('192.168.1.6/24');
      expect(b).toContain('192.168.2.6/24');
      expect(await ok(inst, 'c', 'ip -4 -o addr show dev eth0')).toContain('192.168.2.5/24');
      expect((await ok(inst, 'a', 'hostname')).trim()).toBe('host-a');
    }
    expect(one.id).not.toBe(two.id);
  });

  it('starts with forwarding off on B', async () => {
    expect((await ok(one, 'b', 'cat /proc/sys/net/ipv4/ip_forward')).trim()).toBe('0');
  });

  it('lets A reach C only after routes on both sides and forwarding on B, in one instance only', async () => {
    expect(await canPing(one, 'a', '192.168.1.6')).toBe(true);
    expect(await canPing(one, 'a', '192.168.2.5')).toBe(false);

    await ok(one, 'a', 'ip route add 192.168.2.0/24 via 192.168.1.6');
    expect(await canPing(one, 'a', '192.168.2.5')).toBe(false); // C has no way back, B does not forward

    await ok(one, 'c', 'ip route add 192.168.1.0/24 via 192.168.2.6');
    expect(await canPing(one, 'a', '192.168.2.5')).toBe(false); // still no forwarding on B

    await ok(one, 'b', 'echo 1 > /proc/sys/net/ipv4/ip_forward');
    expect(await canPing(one, 'a', '192.168.2.5')).toBe(true);

    // Instance two saw none of it.
    expect(await canPing(two, 'a', '192.168.2.5')).toBe(false);
    expect((await ok(two, 'a', 'ip route')).includes('192.168.2.0/24')).toBe(false);
    expect((await ok(two, 'b', 'cat /proc/sys/net/ipv4/ip_forward')).trim()).toBe('0');
  });

  it('keeps a change in one instance out of the other (address moved, link down)', async () => {
    await ok(one, 'c', 'ip addr add 192.168.2.77/24 dev eth0');
    expect(await canPing(one, 'b', '192.168.2.77')).toBe(true);
    expect(await canPing(two, 'b', '192.168.2.77')).toBe(false);
    await ok(one, 'a', 'ip link set eth0 down');
    expect(await canPing(two, 'a', '192.168.1.6')).toBe(true);
    const r = await sh(two, 'a', 'ip -o link show eth0');
    expect(r.stdout).toContain('state UP');
  });
});

// A learner cannot end their own node by signalling its init, and a node whose init dies anyway
// (its OOM score raised, ptrace, an engine restart) comes back wired: same links, addresses and
// MACs, a writable /proc/sys/net, `ip netns exec`, and the namespace limits, with no learner file
// executed by the fabric on the way (a planted /bin/sh and ip in the node stay unused).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance, execInRunningFabric, listInstances, repairInstances, type Instance } from '../src';
import { canPing, destroyScope, docker, newScope, ok, sh } from './helpers';

const scope = newScope('lifecycle');
let inst: Instance;

const topology = {
  nodes: [{ name: 'a' }, { name: 'b' }],
  segments: [{ name: 'lan' }],
  links: [
    { node: 'a', segment: 'lan', address: '192.168.1.5/24', gateway: '192.168.1.6' },
    { node: 'b', segment: 'lan', address: '192.168.1.6/24' },
  ],
};

async function nodeState(node: string) {
  const info = await docker.getContainer(inst.nodes.find((n) => n.name === node)!.containerId).inspect();
  return { running: info.State.Status === 'running', pid: info.State.Pid, restarts: info.RestartCount };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  inst = await createInstance(docker, topology, { scope });
});
afterAll(() => destroyScope(scope));

describe('a node outlives what a learner does to its init', () => {
  it('ignores kill, kill -9, kill -STOP and kill -TERM of PID 1 from inside', async () => {
    const before = await nodeState('a');
    await sh(inst, 'a', 'kill 1; kill -INT 1; kill -HUP 1; kill -9 1; kill -STOP 1; sleep 1');
    expect(await nodeState('a')).toEqual(before);
    expect((await ok(inst, 'a', 'ps -o stat= -p 1')).trim()).not.toMatch(/^T/);
    expect(await canPing(inst, 'a', '192.168.1.6')).toBe(true);
  });

  it('comes back wired after its init died, without running a file of the node', async () => {
    const mac = (await ok(inst, 'a', 'cat /sys/class/net/eth0/address')).trim();
    // What a learner might plant for the fabric to run as root on the way back.
    await ok(inst, 'a', 'touch /tmp/canary; printf "#!/bin/sh\\nrm -f /tmp/canary\\n" > /usr/local/sbin/ip; chmod +x /usr/local/sbin/ip');
    const before = await nodeState('a');
    // Init dies the hard way (from the fabric, which sees host pids): Docker's restart policy restarts it.
    await execInRunningFabric(docker, `kill -9 ${before.pid}`);
    const after = await waitFor('the node to restart', async () => {
      const s = await nodeState('a');
      return s.running && s.pid !== before.pid ? s : undefined;
    });
    expect(after.restarts).toBe(before.restarts + 1);
    // The collector does not take the instance while it is not wired.
    expect((await listInstances(docker)).some((i) => i.id === inst.id)).toBe(true);

    const repaired = await repairInstances(docker, { scope });
    expect(repaired).toEqual([{ instanceId: inst.id, node: 'a', reason: 'restarted' }]);
    // The planted `ip` never ran; the learner's own shell would now run it, so it goes.
    expect(await ok(inst, 'a', 'ls /tmp/canary && rm /usr/local/sbin/ip')).toContain('canary');
    expect((await ok(inst, 'a', 'cat /sys/class/net/eth0/address')).trim()).toBe(mac);
    expect(await ok(inst, 'a', 'ip -4 -o addr show eth0')).toContain('192.168.1.5/24');
    expect(await ok(inst, 'a', 'ip route show default')).toContain('via 192.168.1.6');
    expect(await canPing(inst, 'a', '192.168.1.6')).toBe(true);
    await ok(inst, 'a', 'sysctl -w net.ipv4.ip_forward=1 && [ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ]');
    await ok(inst, 'a', 'ip netns add red && ip netns exec red ip link set lo up && ip netns del red');
    // A second repair finds nothing to do.
    expect(await repairInstances(docker, { scope })).toEqual([]);
  });
});

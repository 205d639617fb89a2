// Teardown and the garbage collector leave nothing behind: no container or marker volume of the
// instance, no namespace of it in the fabric, and no namespace, bridge or veth on the host, even
// after a provisioning process was killed halfway.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { collectGarbage, createInstance, destroyInstance, listFabricNamespaces, listInstances, markerVolumeName } from '../src';
import { containersInScope, destroyScope, docker, newScope, ok, routerTopology, run } from './helpers';

const scope = newScope('gc');
afterAll(() => destroyScope(scope));

async function hostCounts() {
  const netns = (await run('ip', ['netns', 'list'])).stdout.trim();
  const bridges = (await run('ip', ['-o', 'link', 'show', 'type', 'bridge'])).stdout.trim();
  const veths = (await run('ip', ['-o', 'link', 'show', 'type', 'veth'])).stdout.trim();
  const count = (s: string) => (s ? s.split('\n').length : 0);
  return { netns: count(netns), bridges: count(bridges), veths: count(veths) };
}

/** The instance's traces besides its containers: its namespace in the fabric, its marker volume. */
async function traces(id: string) {
  const namespace = (await listFabricNamespaces(docker)).includes(id);
  const marker = await docker
    .getVolume(markerVolumeName(id))
    .inspect()
    .then(() => true)
    .catch(() => false);
  return { namespace, marker };
}

describe('teardown', () => {
  it('removes every container, namespace, bridge and veth of an instance', async () => {
    const before = { containers: await containersInScope(scope), ...(await hostCounts()) };
    const inst = await createInstance(docker, routerTopology, { scope });
    expect(await containersInScope(scope)).toBe(before.containers + 3); // the 3 nodes
    expect(await traces(inst.id)).toEqual({ namespace: true, marker: true });
    // The learner adds namespaces, bridges and veths of their own.
    await ok(inst, 'b', 'ip netns add red && ip link add v-net-0 type bridge && ip link add v1 type veth peer name v2');
    expect(await destroyInstance(docker, inst.id)).toBe(3);
    expect({ containers: await containersInScope(scope), ...(await hostCounts()) }).toEqual(before);
    expect(await traces(inst.id)).toEqual({ namespace: false, marker: false });
    expect(await destroyInstance(docker, inst.id)).toBe(0); // idempotent
  });
});

describe('garbage collector', () => {
  it('removes expired instances and unknown ones of its scope, and keeps known ones', async () => {
    // Expiry is judged at a `now` two minutes ahead: a real-time sweep by another suite running
    // at the same time (API apps sweep every engine's expired instances) must not take it first.
    const expired = await createInstance(docker, routerTopology, { scope, ttlSeconds: 60 });
    const known = await createInstance(docker, routerTopology, { scope });
    const unknown = await createInstance(docker, routerTopology, { scope });
    const later = new Date(Date.now() + 120_000);
    const removed = await collectGarbage(docker, { now: later, scope, knownInstanceIds: new Set([known.id]) });
    const reasons = Object.fromEntries(removed.map((r) => [r.id, r.reason]));
    expect(reasons[expired.id]).toBe('expired');
    expect(reasons[unknown.id]).toBe('unknown');
    expect(reasons[known.id]).toBeUndefined();
    const left = (await listInstances(docker)).filter((i) => i.scope === scope).map((i) => i.id);
    expect(left).toEqual([known.id]);
    await destroyInstance(docker, known.id);
  });

  it('never touches another scope, even expired instances', async () => {
    const theirs = newScope('theirs');
    const expired = await createInstance(docker, routerTopology, { scope: theirs, ttlSeconds: 60 });
    try {
      const later = new Date(Date.now() + 120_000);
      const removed = await collectGarbage(docker, { now: later, scope, knownInstanceIds: new Set(), provisioningGraceMs: 0 });
      expect(removed.map((r) => r.id)).not.toContain(expired.id);
      expect((await listInstances(docker)).find((i) => i.id === expired.id)?.ready).toBe(true);
      // Their own collector does remove it.
      expect((await collectGarbage(docker, { now: later, scope: theirs })).map((r) => r.id)).toEqual([expired.id]);
    } finally {
      await destroyScope(theirs);
    }
  });

  it('keeps a committed instance whose node is down (a restart, not a crash)', async () => {
    const inst = await createInstance(docker, routerTopology, { scope });
    await docker.getContainer(inst.nodes[1]!.containerId).stop({ t: 0 });
    expect((await listInstances(docker)).find((i) => i.id === inst.id)?.ready).toBe(false);
    const removed = await collectGarbage(docker, { scope, knownInstanceIds: new Set([inst.id]), provisioningGraceMs: 0 });
    expect(removed.map((r) => r.id)).not.toContain(inst.id);
    await destroyInstance(docker, inst.id);
  });

  it('cleans up a provisioning killed halfway', async () => {
    const before = { containers: await containersInScope(scope), ...(await hostCounts()) };
    const script = fileURLToPath(new URL('./fixtures/provision-and-die.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, scope], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c, signal) => resolve(signal ? 137 : c)));
    expect(code).toBe(137);
    const id = out.match(/instance (px[0-9a-f]{10})/)?.[1];
    expect(id).toBeDefined();

    const crashed = (await listInstances(docker)).find((i) => i.id === id);
    expect(crashed?.ready).toBe(false);
    // Within the provisioning grace period the collector leaves it alone...
    expect((await collectGarbage(docker, { scope })).map((r) => r.id)).not.toContain(id);
    // ...and so does a collector of another scope, even after the grace period...
    expect((await collectGarbage(docker, { scope: newScope('other'), provisioningGraceMs: 0 })).map((r) => r.id)).not.toContain(id);
    // ...after it, its own collector removes it.
    const removed = await collectGarbage(docker, { scope, provisioningGraceMs: 0 });
    expect(removed.find((r) => r.id === id)?.reason).toBe('incomplete');
    expect({ containers: await containersInScope(scope), ...(await hostCounts()) }).toEqual(before);
    expect(await traces(id!)).toEqual({ namespace: false, marker: false });
  });
});

// Lab images on the real engine: a node that names a Debian package (`tree`, which the node image
// lacks) starts from `praxis-lab:<hash>`, built once with its steps reported, and has the command;
// a second instance reuses that very image (same id, same creation time, no build step); an
// unknown package fails naming the node and the package, and leaves no image and no container.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance, destroyInstance, imageExists, labImageTag, LAB_IMAGE_LABEL, resolveImages, SandboxError, type ProvisionEvent } from '../src';
import { containersInScope, destroyScope, docker, newScope, sh } from './helpers';

const scope = newScope('lab-image');
const topology = (packages: string[]) => ({
  nodes: [{ name: 'a', packages }, { name: 'b' }],
  segments: [{ name: 'lan' }],
  links: [
    { node: 'a', segment: 'lan', address: '10.0.0.1/24' },
    { node: 'b', segment: 'lan', address: '10.0.0.2/24' },
  ],
});

let nodeTag = '';
let treeTag = '';
beforeAll(async () => {
  nodeTag = (await resolveImages(docker, ['node'])).node!;
  treeTag = labImageTag(nodeTag, ['tree']);
  // This test's own image (no lab of the project names `tree` alone): removed so the first
  // provisioning below really builds it.
  if (await imageExists(docker, treeTag)) await docker.getImage(treeTag).remove({ force: true });
});
afterAll(async () => {
  await destroyScope(scope);
  await docker.getImage(treeTag).remove({ force: true }).catch(() => undefined);
});

describe('lab images', () => {
  it('builds the image of a node that names packages once, and every later instance reuses it', { timeout: 600_000 }, async () => {
    const events: ProvisionEvent[] = [];
    const t0 = performance.now();
    const first = await createInstance(docker, topology(['tree']), { scope, lab: 'tree-lab', onProgress: (e) => events.push(e) });
    const coldMs = performance.now() - t0;
    try {
      const steps = events.filter((e) => e.step === 'images').map((e) => e.message);
      expect(steps[0]).toMatch(new RegExp(`^building the lab image ${treeTag} for lab "tree-lab", node "a": tree on ${nodeTag}`));
      expect(steps).toContainEqual(expect.stringMatching(/^Setting up tree /));
      expect(steps).toContainEqual(expect.stringMatching(new RegExp(`^lab image ${treeTag} built in [\\d.]+ s`)));
      // The node has the command; the node without packages stays on the plain node image.
      expect((await sh(first, 'a', 'tree -d /etc/apt')).stdout).toMatch(/^\/etc\/apt\n/);
      expect((await sh(first, 'b', 'command -v tree')).exitCode).not.toBe(0);
      const [a, b] = await Promise.all(first.nodes.map((n) => docker.getContainer(n.containerId).inspect()));
      expect(a!.Config.Image).toBe(treeTag);
      expect(a!.Config.Labels['praxis.base-image']).toBe(nodeTag);
      expect(b!.Config.Image).toBe(nodeTag);
      // The image says what it was built from; apt's lists are not kept in it.
      const image = await docker.getImage(treeTag).inspect();
      expect(image.Config.Labels).toMatchObject({ [LAB_IMAGE_LABEL.base]: nodeTag, [LAB_IMAGE_LABEL.packages]: 'tree' });
      expect((await sh(first, 'a', 'ls /var/lib/apt/lists | grep -c _Packages || true')).stdout.trim()).toBe('0');

      const again: ProvisionEvent[] = [];
      const t1 = performance.now();
      const second = await createInstance(docker, topology(['tree', 'tree']), { scope, onProgress: (e) => again.push(e) });
      const warmMs = performance.now() - t1;
      try {
        expect(again.filter((e) => e.step === 'images').map((e) => e.message)).toEqual([expect.stringMatching(/^images ready/)]);
        const reused = await docker.getImage(treeTag).inspect();
        expect(reused.Id).toBe(image.Id);
        expect(reused.Created).toBe(image.Created);
        expect((await docker.getContainer(second.nodes[0]!.containerId).inspect()).Image).toBe(image.Id);
        expect((await sh(second, 'a', 'command -v tree')).stdout).toBe('/usr/bin/tree\n');
      } finally {
        await destroyInstance(docker, second.id);
      }
      console.log(`lab image: first provisioning (build) ${(coldMs / 1000).toFixed(1)} s, second (reuse) ${(warmMs / 1000).toFixed(2)} s`);
    } finally {
      await destroyInstance(docker, first.id);
    }
  });

  it('names the node and the unknown package when apt cannot find it, and leaves nothing behind', { timeout: 300_000 }, async () => {
    const packages = ['tree', 'praxis-no-such-package'];
    const tag = labImageTag(nodeTag, packages);
    const nodeId = (await docker.getImage(nodeTag).inspect()).Id;
    const since = Math.floor(Date.now() / 1000) - 1;
    const error = await createInstance(docker, topology(packages), { scope, lab: 'broken-lab' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxError);
    expect((error as SandboxError).code, (error as Error).message).toBe('LAB_IMAGE_PACKAGE_UNKNOWN');
    expect((error as Error).message).toMatch(/^lab "broken-lab", node "a": Debian has no package "praxis-no-such-package" to install \(apt-get: E: Unable to locate package praxis-no-such-package\)/);
    expect((error as Error).message).toContain(`The lab image ${tag} was not built.`);
    expect(await imageExists(docker, tag)).toBe(false);
    // The failed RUN step committed nothing: no untagged child of the node image was left either.
    const left = (await docker.listImages({ all: true, filters: { dangling: ['true'] } })).filter((i) => i.ParentId === nodeId && i.Created >= since);
    expect(left).toEqual([]);
    expect(await containersInScope(scope)).toBe(0);
  });
});

// The lab-image collector on the real engine, with tiny lab images of this file's own (the node
// image plus labels, tagged as lab images are: no apt, no network): an old one that nothing uses
// or needs is removed; one a container uses, one a lab needs and one younger than the grace stay.
// Every other lab image on the shared engine is named as needed, so this test touches only its own.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectLabImages, imageExists, LAB_IMAGE_LABEL, LAB_IMAGE_REPO, labImageTag, listLabImages, neededLabImageTags, resolveImages } from '../src';
import { docker } from './helpers';

const run = randomBytes(3).toString('hex');
const packagesOf = (name: string) => [`praxis-gc-${name}-${run}`];
let nodeTag = '';
const tags: Record<string, string> = {};
const containers: string[] = [];

/** A lab image as lab-image.ts labels it, FROM the node image, built in a second. */
async function buildTinyLabImage(name: string): Promise<string> {
  const tag = labImageTag(nodeTag, packagesOf(name));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'praxis-lab-gc-'));
  await writeFile(path.join(dir, 'Dockerfile'), `FROM ${nodeTag}\nLABEL ${LAB_IMAGE_LABEL.base}="${nodeTag}" ${LAB_IMAGE_LABEL.packages}="${packagesOf(name).join(' ')}"\n`);
  const stream = await docker.buildImage({ context: dir, src: ['Dockerfile'] }, { t: tag, rm: true });
  const output = await new Promise<{ error?: string }[]>((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => (err ? reject(err) : resolve(out))));
  await rm(dir, { recursive: true, force: true });
  const failed = output.find((o) => o.error);
  if (failed) throw new Error(`building ${tag}: ${failed.error}`);
  tags[name] = tag;
  return tag;
}

/** Every lab image of the engine but this file's: other suites' images are never candidates. */
async function othersLabImages(): Promise<string[]> {
  const mine = new Set(Object.values(tags));
  const images = await docker.listImages({ filters: { label: [LAB_IMAGE_LABEL.base] } });
  return images.flatMap((i) => i.RepoTags ?? []).filter((t) => t.startsWith(`${LAB_IMAGE_REPO}:`) && !mine.has(t));
}

beforeAll(async () => {
  nodeTag = (await resolveImages(docker, ['node'])).node!;
});

afterAll(async () => {
  for (const id of containers) await docker.getContainer(id).remove({ force: true }).catch(() => undefined);
  for (const tag of Object.values(tags)) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
});

describe('lab image collection', () => {
  it('removes an old lab image nothing uses or needs, and keeps the used, the needed and the recent', { timeout: 120_000 }, async () => {
    for (const name of ['old', 'needed', 'used']) await buildTinyLabImage(name);
    // A container (created, never started) holds "used", as a stopped lab node would.
    const holder = await docker.createContainer({ Image: tags.used!, Cmd: ['true'], Labels: { 'praxis.scope': `test-lab-gc-${run}` } });
    containers.push(holder.id);
    // The grace is 3 s and the collector's clock stops when "recent" is built: the other three are
    // older than that, "recent" is not (however long the rest takes on a busy machine).
    await new Promise((r) => setTimeout(r, 4000));
    await buildTinyLabImage('recent');
    const now = new Date();
    // What a lab naming the "needed" packages on the node image starts from: the tag built above.
    const needed = await neededLabImageTags(docker, [{ nodes: [{ name: 'a', packages: packagesOf('needed') }, { name: 'b' }], segments: [{ name: 'lan' }], links: [{ node: 'a', segment: 'lan', address: '10.0.0.1/24' }, { node: 'b', segment: 'lan', address: '10.0.0.2/24' }] }]);
    expect([...needed]).toEqual([tags.needed]);
    const options = { needed: new Set([...needed, ...(await othersLabImages())]), graceMs: 3000, now };

    const outcomes = (images: { tag: string; outcome: string }[]) => Object.fromEntries(Object.entries(tags).map(([name, tag]) => [name, images.find((s) => s.tag === tag)?.outcome]));
    const listed = await listLabImages(docker);
    expect(listed.find((i) => i.tag === tags.used)).toMatchObject({ inUse: true, packages: packagesOf('used').join(' ') });
    expect(listed.find((i) => i.tag === tags.old)).toMatchObject({ inUse: false, base: nodeTag, addedBytes: 0, createdAt: expect.any(Date) });

    expect(outcomes(await collectLabImages(docker, options))).toEqual({ old: 'removed', needed: 'needed', used: 'in-use', recent: 'recent' });
    expect(await imageExists(docker, tags.old!)).toBe(false);
    for (const name of ['needed', 'used', 'recent']) expect(await imageExists(docker, tags[name]!), name).toBe(true);
    // Once its container is gone, the used image goes too (it is neither needed nor recent).
    await holder.remove({ force: true });
    expect(outcomes(await collectLabImages(docker, options)).used).toBe('removed');
    expect(await imageExists(docker, tags.used!)).toBe(false);
  });
});

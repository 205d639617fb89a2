// `praxis engines lab-images` as an operator runs it: a lab image this file builds (the node image
// plus the labels lab images carry, no apt) is listed with its packages, unused; once a container
// is made from it, used. The image and the container are this file's own and removed after it.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LAB_IMAGE_LABEL, labImageTag, resolveImages } from '@praxis/sandbox';
import { docker, praxis } from './helpers';

const packages = [`praxis-cli-${randomBytes(3).toString('hex')}`];
let tag = '';
let containerId = '';

afterAll(async () => {
  if (containerId) await docker.getContainer(containerId).remove({ force: true }).catch(() => undefined);
  if (tag) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
});

describe('praxis engines lab-images', () => {
  it('lists each lab image with its packages and whether a container uses it', { timeout: 120_000 }, async () => {
    const nodeTag = (await resolveImages(docker, ['node'])).node!;
    tag = labImageTag(nodeTag, packages);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'praxis-cli-lab-image-'));
    await writeFile(path.join(dir, 'Dockerfile'), `FROM ${nodeTag}\nLABEL ${LAB_IMAGE_LABEL.base}="${nodeTag}" ${LAB_IMAGE_LABEL.packages}="${packages.join(' ')}"\n`);
    const stream = await docker.buildImage({ context: dir, src: ['Dockerfile'] }, { t: tag, rm: true });
    await new Promise((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null, out: unknown) => (err ? reject(err) : resolve(out))));
    await rm(dir, { recursive: true, force: true });

    const unused = await praxis(['engines', 'lab-images']);
    expect(unused.code, unused.stderr).toBe(0);
    const row = unused.stdout.split('\n').find((l) => l.includes(tag));
    expect(row, unused.stdout).toMatch(new RegExp(`^default\\s+${tag}\\s+0\\s+0\\.0 h ago\\s+no\\s+${packages[0]}$`));
    expect(unused.stdout).toMatch(/lab images?, \d+ unused by any container; the server removes unused ones/);

    containerId = (await docker.createContainer({ Image: tag, Cmd: ['true'] })).id;
    const used = await praxis(['engines', 'lab-images', '--json']);
    expect(JSON.parse(used.stdout)).toContainEqual(expect.objectContaining({ engine: 'default', tag, inUse: true, base: nodeTag, addedBytes: 0, packages: packages[0] }));
  });
});

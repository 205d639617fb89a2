// The software mapper: apt lines and tools the node image lacks become packages; the list of what
// the node image has stays in step with its Dockerfile.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ImportNote } from './import.types';
import { mapSoftware, NODE_IMAGE_PACKAGES, noteImagePulls, PRELOADED_IMAGES } from './map-packages';

describe('mapSoftware', () => {
  it('reads apt-get and apt install lines (options, versions, architectures dropped) and makes them no-ops', () => {
    const notes: ImportNote[] = [];
    const text = 'set -e\nif true; then apt install -y --no-install-recommends nginx:amd64 openssh-server/bookworm "$EXTRA"; fi\n# apt-get install commented\necho apt-get install not-a-command';
    const r = mapSoftware(text, 'setup.sh', 'web', notes, { rewrite: true });
    expect(r.packages).toEqual(['nginx', 'openssh-server']);
    expect(r.text.split('\n')[1]).toBe('if true; then : apt install -y --no-install-recommends nginx:amd64 openssh-server/bookworm "$EXTRA"; fi');
    expect(r.text.split('\n').slice(2)).toEqual(['# apt-get install commented', 'echo apt-get install not-a-command']);
    expect(notes.map((n) => `${n.line} ${n.kind}`)).toEqual(['2 adapted']);
    expect(notes[0]!.message).toContain('not understood, add by hand if needed: "$EXTRA"');
  });

  it('finds tools the node image lacks only where a command starts, and never rewrites a check', () => {
    const notes: ImportNote[] = [];
    const text = 'echo "run python3 later"\nx=$(python3 -c "print(1)") && sudo chronyc tracking | tree\n/usr/bin/nginx -t';
    const r = mapSoftware(text, 'verify.sh', 'a', notes, { rewrite: false });
    expect(r.packages).toEqual(['chrony', 'python3', 'tree']);
    expect(r.text).toBe(text);
  });
});

describe('NODE_IMAGE_PACKAGES', () => {
  it('lists exactly what infra/images/node/Dockerfile installs', async () => {
    const dockerfile = await readFile(fileURLToPath(new URL('../../../../infra/images/node/Dockerfile', import.meta.url)), 'utf8');
    const run = /apt-get install -y --no-install-recommends([\s\S]*?)&&/.exec(dockerfile)![1]!;
    expect([...NODE_IMAGE_PACKAGES].sort()).toEqual(run.replace(/\\/g, ' ').trim().split(/\s+/).sort());
  });
});

describe('noteImagePulls', () => {
  it('flags images a cluster lacks, not the preloaded ones or kubeadm\'s', () => {
    const notes: ImportNote[] = [];
    noteImagePulls('kubectl run a --image=nginx\nkubectl run b --image nginx:1.22\n    image: "redis:7"\nkubectl run c --image=registry.k8s.io/pause:3.10\nkubectl create deploy d --image=ghcr.io/x/y', 's.sh', notes);
    expect(notes.map((n) => `${n.line} ${n.message.split(',')[0]}`)).toEqual(['3 runs the image redis:7', '5 runs the image ghcr.io/x/y']);
  });

  it('knows exactly the images infra/images/k8s/preload/images.json preloads (besides kubeadm\'s)', async () => {
    const json = JSON.parse(await readFile(fileURLToPath(new URL('../../../../infra/images/k8s/preload/images.json', import.meta.url)), 'utf8')) as { images: { refs: string[] }[] };
    const refs = json.images.flatMap((i) => i.refs).filter((r) => !r.startsWith('kubeadm:'));
    expect([...PRELOADED_IMAGES].sort()).toEqual(refs.sort());
  });
});

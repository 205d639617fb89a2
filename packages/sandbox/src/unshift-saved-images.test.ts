import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { unshiftSavedImages } from './unshift-saved-images';

async function tarOf(entries: Array<{ name: string; body?: Buffer | string; uid?: number; gid?: number; type?: 'directory' | 'file' | 'symlink'; linkname?: string }>): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    const header = { name: e.name, uid: e.uid ?? 0, gid: e.gid ?? 0, type: e.type ?? 'file', linkname: e.linkname };
    if (e.body === undefined) pack.entry(header);
    else pack.entry(header, e.body);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as unknown as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

async function entriesOf(buf: Buffer | NodeJS.ReadableStream): Promise<Map<string, { uid?: number; gid?: number; body: Buffer; linkname?: string | null }>> {
  const out = new Map<string, { uid?: number; gid?: number; body: Buffer; linkname?: string | null }>();
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (h, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => { out.set(h.name, { uid: h.uid, gid: h.gid, body: Buffer.concat(chunks), linkname: h.linkname }); next(); });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  (Buffer.isBuffer(buf) ? Readable.from([buf]) : (buf as Readable)).pipe(extract);
  await done;
  return out;
}

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
let dir: string | undefined;
afterEach(async () => dir && rm(dir, { recursive: true, force: true }));

describe('unshiftSavedImages', () => {
  it('moves owners of the remapped range back to the image\'s own and updates diff_ids, shared layers once', async () => {
    const lowest = await tarOf([{ name: 'bin/', type: 'directory', uid: 100000, gid: 100000 }, { name: 'bin/pause', body: 'x', uid: 100000, gid: 100000 }, { name: 'home/app', body: 'y', uid: 101000, gid: 101000 }]);
    const upper = await tarOf([{ name: 'etc/conf', body: 'z', uid: 0, gid: 0 }]);
    const save = await tarOf([
      { name: 'l1/', type: 'directory' },
      { name: 'l1/layer.tar', body: lowest },
      { name: 'l2/', type: 'directory' },
      { name: 'l2/layer.tar', body: upper },
      { name: 'l3/', type: 'directory' },
      { name: 'l3/layer.tar', type: 'symlink', linkname: '../l1/layer.tar' },
      { name: 'a.json', body: JSON.stringify({ rootfs: { type: 'layers', diff_ids: [sha(lowest), sha(upper)] } }) },
      { name: 'b.json', body: JSON.stringify({ rootfs: { type: 'layers', diff_ids: [sha(lowest)] } }) },
      { name: 'manifest.json', body: JSON.stringify([{ Config: 'a.json', RepoTags: ['a:1'], Layers: ['l1/layer.tar', 'l2/layer.tar'] }, { Config: 'b.json', RepoTags: ['b:1'], Layers: ['l3/layer.tar'] }]) },
    ]);
    dir = await mkdtemp(path.join(tmpdir(), 'unshift-test-'));
    const out = await entriesOf(await unshiftSavedImages(Readable.from([save]), dir, 100000));
    const l1 = out.get('l1/layer.tar')!.body;
    const files = await entriesOf(l1);
    expect([...files.entries()].map(([n, e]) => [n, e.uid, e.gid])).toEqual([['bin/', 0, 0], ['bin/pause', 0, 0], ['home/app', 1000, 1000]]);
    expect(files.get('bin/pause')!.body.toString()).toBe('x');
    expect(out.get('l2/layer.tar')!.body.equals(upper)).toBe(true);
    expect(out.get('l3/layer.tar')!.linkname).toBe('../l1/layer.tar');
    expect(JSON.parse(out.get('a.json')!.body.toString()).rootfs.diff_ids).toEqual([sha(l1), sha(upper)]);
    expect(JSON.parse(out.get('b.json')!.body.toString()).rootfs.diff_ids).toEqual([sha(l1)]);
  });
});

// `docker save` on an engine with --userns-remap and the btrfs (or any "naive diff") storage
// driver writes the lowest layer of every image with the host's remapped owners (uid 100000
// for root): Docker 20.10's naive diff archives a layer without a parent without its id map.
// containerd inside a remapped node then fails to unpack it ("failed to Lchown ... for UID
// 100000 ... invalid argument"). This rewrites a saved docker-archive so every layer's owners
// are the image's own (host range shifted back to 0), with the image configs' diff_ids updated
// to the rewritten layers. Hand-written because no library rewrites an image archive's owners;
// tar-stream does the tar work.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, readlink, rename, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import type Docker from 'dockerode';
import tar from 'tar-stream';
import { isUsernsRemapped } from './engine-features';

/** The remapped root's first host uid when `docker save` may shift owners; undefined when it does not. */
export async function savedOwnerShift(docker: Docker): Promise<number | undefined> {
  const info = (await docker.info()) as { Driver?: string; DockerRootDir?: string; SecurityOptions?: string[] };
  if (info.Driver === 'overlay2' || !isUsernsRemapped(info.SecurityOptions ?? [])) return undefined;
  // The remapped data root is named after the range: /var/lib/docker/100000.100000.
  const m = /(\d+)\.(\d+)$/.exec(info.DockerRootDir ?? '');
  return m ? Number(m[1]) : undefined;
}

function safeJoin(root: string, name: string): string {
  const target = path.resolve(root, name);
  if (!target.startsWith(root + path.sep)) throw new Error(`docker save wrote an entry outside the archive: ${name}`);
  return target;
}

async function extractTo(input: NodeJS.ReadableStream, dir: string): Promise<string[]> {
  const names: string[] = [];
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const target = safeJoin(dir, header.name);
    names.push(header.name);
    const done = (err?: unknown) => (err ? extract.destroy(err as Error) : next());
    if (header.type === 'directory') return void mkdir(target, { recursive: true }).then(() => stream.resume().on('end', () => done()), done);
    if (header.type === 'symlink') return void mkdir(path.dirname(target), { recursive: true }).then(() => symlink(header.linkname!, target)).then(() => stream.resume().on('end', () => done()), done);
    void mkdir(path.dirname(target), { recursive: true }).then(() => pipeline(stream, createWriteStream(target)).then(() => done(), done), done);
  });
  await pipeline(input as Readable, extract);
  return names;
}

function sha256Of(): { hash: ReturnType<typeof createHash>; tap: Transform } {
  const hash = createHash('sha256');
  const tap = new Transform({ transform(chunk: Buffer, _e, cb) { hash.update(chunk); cb(null, chunk); } });
  return { hash, tap };
}

/** Rewrites one layer tar with owners in [shift, shift + 65536) moved down by `shift`; returns its new digest. */
async function unshiftLayer(file: string, shift: number): Promise<string> {
  const out = `${file}.unshifted`;
  const extract = tar.extract();
  const pack = tar.pack();
  const back = (id: number | undefined) => (id !== undefined && id >= shift && id < shift + 65536 ? id - shift : id);
  extract.on('entry', (header, stream, next) => {
    const entry = pack.entry({ ...header, uid: back(header.uid), gid: back(header.gid) }, (err) => (err ? extract.destroy(err) : next()));
    stream.pipe(entry);
  });
  extract.on('finish', () => pack.finalize());
  const { hash, tap } = sha256Of();
  await Promise.all([pipeline(createReadStream(file), extract), pipeline(pack, tap, createWriteStream(out))]);
  await rename(out, file);
  return `sha256:${hash.digest('hex')}`;
}

/** Rewrites a docker-archive (from `docker save`) in `dir` and returns it as a tar stream. */
export async function unshiftSavedImages(save: NodeJS.ReadableStream, dir: string, shift: number): Promise<NodeJS.ReadableStream> {
  const names = await extractTo(save, dir);
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Array<{ Config: string; Layers: string[] }>;
  // A layer may be a symlink to another image's copy of it: each real file is rewritten once.
  const byFile = new Map<string, string>();
  const digestOf = async (layer: string) => {
    const file = safeJoin(dir, layer);
    const real = await readlink(file).then((l) => path.resolve(path.dirname(file), l), () => file);
    if (!byFile.has(real)) byFile.set(real, await unshiftLayer(real, shift));
    return byFile.get(real)!;
  };
  for (const image of manifest) {
    const diffIds: string[] = [];
    for (const layer of image.Layers) diffIds.push(await digestOf(layer));
    const configFile = safeJoin(dir, image.Config);
    const config = JSON.parse(await readFile(configFile, 'utf8')) as { rootfs: { diff_ids: string[] } };
    config.rootfs.diff_ids = diffIds;
    await writeFile(configFile, JSON.stringify(config));
  }
  const pack = tar.pack();
  void (async () => {
    for (const name of names) {
      const file = safeJoin(dir, name);
      const st = await stat(file).catch(() => undefined);
      const link = await readlink(file).catch(() => undefined);
      if (link !== undefined) pack.entry({ name, type: 'symlink', linkname: link });
      else if (st?.isDirectory()) pack.entry({ name, type: 'directory', mode: 0o755 });
      else if (st) await pipeline(createReadStream(file), pack.entry({ name, size: st.size, mode: 0o644 }));
    }
    pack.finalize();
  })().catch((err: Error) => pack.destroy(err));
  // tar-stream packs are streamx streams: they pipe like Node streams.
  return pack as unknown as NodeJS.ReadableStream;
}

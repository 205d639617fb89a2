// Lab images: one folder per image under infra/images, tagged `praxis-<name>:<hash of inputs>`,
// so an image is rebuilt only when its Dockerfile, its files or its base changed.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { buildClusterImage } from './cluster-image';

export const DEFAULT_IMAGES_DIR = fileURLToPath(new URL('../../../infra/images', import.meta.url));
export const DEFAULT_BASE_IMAGE = 'praxis-base:bookworm';

export interface ImageOptions {
  imagesDir?: string;
  /** Image the Dockerfiles build FROM (build arg BASE). */
  baseImage?: string;
}

/**
 * Images an image is built FROM besides the base: a Dockerfile that declares `ARG NODE_IMAGE`
 * builds on the general node image (the k8s node does), so that image is built first and its
 * tag is part of the dependent's tag.
 */
async function imageDependencies(imagesDir: string, name: string): Promise<string[]> {
  const dockerfile = await readFile(path.join(imagesDir, name, 'Dockerfile'), 'utf8').catch(() => '');
  return /^ARG NODE_IMAGE\b/m.test(dockerfile) && name !== 'node' ? ['node'] : [];
}

/** An image folder with Go components (components/<name>/go.mod) is built by cluster-image.ts. */
async function hasComponents(imagesDir: string, name: string): Promise<boolean> {
  return (await stat(path.join(imagesDir, name, 'components')).catch(() => undefined))?.isDirectory() ?? false;
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}

export async function listImageNames(imagesDir = DEFAULT_IMAGES_DIR): Promise<string[]> {
  const entries = await readdir(imagesDir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/**
 * The content tag of an image: hash of every input file (path, mode, bytes), the base's id and
 * the tags of the images it builds on.
 */
export async function imageTag(docker: Docker, name: string, options: ImageOptions = {}): Promise<string> {
  const imagesDir = options.imagesDir ?? DEFAULT_IMAGES_DIR;
  const dir = path.join(imagesDir, name);
  const hash = createHash('sha256');
  for (const rel of await listFiles(dir)) {
    const full = path.join(dir, rel);
    const mode = (await stat(full)).mode & 0o111 ? 'x' : '-';
    hash.update(`${rel}\0${mode}\0`).update(await readFile(full)).update('\0');
  }
  const base = options.baseImage ?? DEFAULT_BASE_IMAGE;
  const baseInfo = await docker.getImage(base).inspect().catch(() => undefined);
  if (!baseInfo) {
    throw Object.assign(new Error(`base image ${base} is missing: run "npm run images" (infra/scripts/ensure-deps.sh builds it)`), {
      code: 'BASE_IMAGE_MISSING',
    });
  }
  hash.update(baseInfo.Id);
  for (const dep of await imageDependencies(imagesDir, name)) hash.update(await imageTag(docker, dep, options));
  return `praxis-${name}:${hash.digest('hex').slice(0, 12)}`;
}

export async function imageExists(docker: Docker, tag: string): Promise<boolean> {
  return docker
    .getImage(tag)
    .inspect()
    .then(() => true)
    .catch(() => false);
}

export interface BuildProgress {
  image: string;
  tag: string;
  /** `cached` when the tag already exists, `step` for each build line, `built` at the end. */
  kind: 'cached' | 'step' | 'built';
  message: string;
}

/**
 * Builds every image under infra/images whose tag is missing (or only `names` and what they
 * build on); reports each build step.
 */
export async function ensureImages(
  docker: Docker,
  options: ImageOptions & { onProgress?: (p: BuildProgress) => void; names?: string[]; componentCacheDir?: string } = {},
): Promise<Record<string, string>> {
  const imagesDir = options.imagesDir ?? DEFAULT_IMAGES_DIR;
  const tags: Record<string, string> = {};
  const order: string[] = [];
  const visit = async (name: string) => {
    if (order.includes(name)) return;
    for (const dep of await imageDependencies(imagesDir, name)) await visit(dep);
    order.push(name);
  };
  for (const name of options.names ?? (await listImageNames(imagesDir))) await visit(name);
  for (const name of order) {
    const tag = await imageTag(docker, name, options);
    tags[name] = tag;
    if (await imageExists(docker, tag)) {
      options.onProgress?.({ image: name, tag, kind: 'cached', message: `${tag} is up to date` });
      continue;
    }
    if (await hasComponents(imagesDir, name)) {
      await buildClusterImage(docker, {
        dir: path.join(imagesDir, name),
        tag,
        baseImage: options.baseImage ?? DEFAULT_BASE_IMAGE,
        nodeImage: tags.node ?? (await imageTag(docker, 'node', options)),
        cacheDir: options.componentCacheDir,
        onProgress: (message) => options.onProgress?.({ image: name, tag, kind: 'step', message }),
      });
    } else {
      await buildImage(docker, name, tag, { ...options, imagesDir, nodeImage: tags.node });
    }
    // A stable alias for people (`docker run praxis-node`); Praxis itself always uses the hash tag.
    await docker.getImage(tag).tag({ repo: `praxis-${name}`, tag: 'latest' });
    options.onProgress?.({ image: name, tag, kind: 'built', message: `${tag} built` });
  }
  return tags;
}

async function buildImage(
  docker: Docker,
  name: string,
  tag: string,
  options: ImageOptions & { imagesDir: string; nodeImage?: string; onProgress?: (p: BuildProgress) => void },
) {
  const dir = path.join(options.imagesDir, name);
  const buildargs: Record<string, string> = { BASE: options.baseImage ?? DEFAULT_BASE_IMAGE };
  if (options.nodeImage) buildargs.NODE_IMAGE = options.nodeImage;
  const stream = await docker.buildImage({ context: dir, src: await listFiles(dir) }, { t: tag, buildargs, rm: true, forcerm: true });
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, output: Array<{ error?: string }>) => {
        const failed = err ?? output.find((o) => o.error);
        if (failed) reject(new Error(`building ${tag} failed: ${err ? err.message : (failed as { error: string }).error}`));
        else resolve();
      },
      (event: { stream?: string; error?: string }) => {
        const line = event.stream?.trim();
        if (line && /^Step \d+\/\d+/.test(line)) options.onProgress?.({ image: name, tag, kind: 'step', message: line });
      },
    );
  });
}

/** Maps a topology's image names to content tags, failing clearly when one is not built. */
export async function resolveImages(
  docker: Docker,
  names: string[],
  options: ImageOptions = {},
): Promise<Record<string, string>> {
  const known = await listImageNames(options.imagesDir ?? DEFAULT_IMAGES_DIR);
  const out: Record<string, string> = {};
  for (const name of new Set(names)) {
    if (!known.includes(name)) {
      throw Object.assign(new Error(`unknown image "${name}" (images: ${known.join(', ')})`), { code: 'IMAGE_UNKNOWN' });
    }
    const tag = await imageTag(docker, name, options);
    if (!(await imageExists(docker, tag))) {
      throw Object.assign(new Error(`image ${tag} is not built: run "npm run images"`), { code: 'IMAGE_MISSING' });
    }
    out[name] = tag;
  }
  return out;
}

const sizes = new WeakMap<Docker, Map<string, Promise<number>>>();

/** An image's size in bytes (a content tag never changes, so it is asked once per client). */
export function readImageBytes(docker: Docker, tag: string): Promise<number> {
  let perClient = sizes.get(docker);
  if (!perClient) sizes.set(docker, (perClient = new Map()));
  let size = perClient.get(tag);
  if (!size) {
    size = docker
      .getImage(tag)
      .inspect()
      .then((i) => i.Size);
    size.catch(() => perClient.delete(tag));
    perClient.set(tag, size);
  }
  return size;
}

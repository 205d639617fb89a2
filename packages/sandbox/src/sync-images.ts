// Lab images on more than one engine: the images are built once (where the base image and the
// Debian mirror are), and an engine that lacks one gets it copied from another through the
// Docker API (`docker save` piped into `docker load`). The base image travels too, with its id
// unchanged, so the content tags computed on either engine agree.
import type Docker from 'dockerode';
import { DEFAULT_BASE_IMAGE, DEFAULT_IMAGES_DIR, imageExists, imageTag, listImageNames, type ImageOptions } from './images';

export interface SyncImagesOptions extends ImageOptions {
  /** Only these images (names under infra/images); all that the source has built by default. */
  names?: string[];
  onProgress?: (message: string) => void;
}

/** Copies images (by tag) from `source` to `target` in one archive, so shared layers travel once. */
export async function copyImages(source: Docker, target: Docker, tags: string[]): Promise<void> {
  // `docker save a b`: dockerode has it (getImages) though its types do not say so.
  const save = (source as unknown as { getImages(o: { names: string[] }): Promise<NodeJS.ReadableStream> }).getImages.bind(source);
  const tar = await save({ names: tags });
  const loading = await target.loadImage(tar);
  await new Promise<void>((resolve, reject) => {
    target.modem.followProgress(loading, (err: Error | null, output: Array<{ error?: string }>) => {
      const failed = err ?? output.find((o) => o.error);
      if (failed) reject(new Error(`copying ${tags.join(', ')} failed: ${err ? err.message : (failed as { error: string }).error}`));
      else resolve();
    });
  });
}

/** Copies to `target` the base image and every lab image of `source` that `target` lacks; returns the tags copied. */
export async function syncImages(source: Docker, target: Docker, options: SyncImagesOptions = {}): Promise<string[]> {
  const base = options.baseImage ?? DEFAULT_BASE_IMAGE;
  const wanted = [base];
  for (const name of await listImageNames(options.imagesDir ?? DEFAULT_IMAGES_DIR)) {
    if (options.names && !options.names.includes(name)) continue;
    const tag = await imageTag(source, name, options);
    if (await imageExists(source, tag)) wanted.push(tag);
  }
  const missing: string[] = [];
  for (const tag of wanted) if (!(await imageExists(target, tag))) missing.push(tag);
  if (missing.length === 0) return [];
  options.onProgress?.(`copying ${missing.join(', ')}`);
  const t0 = performance.now();
  await copyImages(source, target, missing);
  options.onProgress?.(`copied ${missing.join(', ')} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return missing;
}

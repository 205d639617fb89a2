// Collecting lab images (`praxis-lab:<hash>`, lab-image.ts): a changed package list or node image
// makes a new one and the old stays, filling the disk the engine shares with learners. An image
// is removed only when no container on the engine uses it (any scope's, stopped ones too), the
// caller does not name it as needed, and it was built longer ago than the grace period (so an
// image just built for a `lab test` or an import still under way survives until it is used).
// Docker itself refuses to remove an image a container started from meanwhile: that one stays too.
import type Docker from 'dockerode';
import { parseTopology } from '@praxis/topology';
import { imageTag, readImageBytes, type ImageOptions } from './images';
import { LAB_IMAGE_LABEL, LAB_IMAGE_REPO, labImageTag } from './lab-image';

export interface LabImage {
  tag: string;
  id: string;
  createdAt: Date;
  /** What it adds to the node image it was built from (null when that image is gone). */
  addedBytes: number | null;
  /** The node image it was built from, and the packages it adds, space-separated (its labels). */
  base: string;
  packages: string;
  /** A container on the engine (any scope's, stopped ones too) was made from it. */
  inUse: boolean;
}

/** Every `praxis-lab:<hash>` tag of the engine, with whether a container uses its image. */
export async function listLabImages(docker: Docker): Promise<LabImage[]> {
  const [images, containers] = await Promise.all([
    docker.listImages({ filters: { label: [LAB_IMAGE_LABEL.base] } }),
    docker.listContainers({ all: true }),
  ]);
  const used = new Set(containers.flatMap((c) => [c.ImageID, c.Image]));
  const out: LabImage[] = [];
  for (const image of images) {
    const base = image.Labels?.[LAB_IMAGE_LABEL.base] ?? '';
    const baseBytes = await readImageBytes(docker, base).catch(() => null);
    for (const tag of (image.RepoTags ?? []).filter((t) => t.startsWith(`${LAB_IMAGE_REPO}:`))) {
      out.push({
        tag,
        id: image.Id,
        createdAt: new Date(image.Created * 1000),
        addedBytes: baseBytes === null ? null : image.Size - baseBytes,
        base,
        packages: image.Labels?.[LAB_IMAGE_LABEL.packages] ?? '',
        inUse: used.has(image.Id) || used.has(tag),
      });
    }
  }
  return out;
}

export interface CollectLabImagesOptions {
  /** Lab images to keep whatever their age (neededLabImageTags of the labs that may still start). */
  needed: ReadonlySet<string>;
  /** Images built less than this long ago stay. */
  graceMs: number;
  now?: Date;
}

/** removed; or why it stays: a container uses it, a lab needs it, it is younger than the grace, or the engine refused. */
export type LabImageOutcome = 'removed' | 'in-use' | 'needed' | 'recent' | 'refused';

/** Every lab image of the engine with what the collector did with it. */
export async function collectLabImages(docker: Docker, options: CollectLabImagesOptions): Promise<(LabImage & { outcome: LabImageOutcome })[]> {
  const now = (options.now ?? new Date()).getTime();
  const out: (LabImage & { outcome: LabImageOutcome })[] = [];
  for (const image of await listLabImages(docker)) {
    let outcome: LabImageOutcome = image.inUse ? 'in-use' : options.needed.has(image.tag) ? 'needed' : now - image.createdAt.getTime() < options.graceMs ? 'recent' : 'removed';
    if (outcome === 'removed') {
      // Not forced: a container created since the listing, or a child image, makes Docker refuse.
      outcome = await docker
        .getImage(image.tag)
        .remove()
        .then(() => 'removed' as const)
        .catch((err: { statusCode?: number }) => (err.statusCode === 404 ? ('removed' as const) : ('refused' as const)));
    }
    out.push({ ...image, outcome });
  }
  return out;
}

/**
 * The lab images these topologies' nodes start from on this engine (built or not), read as
 * provisioning reads them (parseTopology: a cluster's nodes run the Kubernetes node image).
 */
export async function neededLabImageTags(docker: Docker, topologies: Iterable<unknown>, options: ImageOptions = {}): Promise<Set<string>> {
  const baseTags = new Map<string, Promise<string>>();
  const baseOf = (name: string) => {
    if (!baseTags.has(name)) baseTags.set(name, imageTag(docker, name, options));
    return baseTags.get(name)!;
  };
  const needed = new Set<string>();
  for (const input of topologies) {
    for (const node of parseTopology(input).nodes) {
      if (node.packages.length) needed.add(labImageTag(await baseOf(node.image), node.packages));
    }
  }
  return needed;
}

// After a bank version is imported: the lab images its labs need (their Debian `packages:`) are
// built in the background on every engine that answers, one build at a time, so the first learner
// who starts such a lab does not wait for apt. Progress and failures go to the server's log with
// the lab's id; a lab whose image failed (an unknown package) fails its first start with the same
// words, since provisioning builds whatever is still missing (packages/sandbox/src/lab-image.ts).
import type { FastifyBaseLogger } from 'fastify';
import { pingEngine, prepareLabImages, type EngineSet, type ImageOptions } from '@praxis/sandbox';

export interface PrepareBankLabImagesInput {
  engines: EngineSet;
  labs: { id: string; topology: { nodes: { packages?: string[] }[] } }[];
  images: ImageOptions;
  log: FastifyBaseLogger;
}

/** Resolves when every build has ended (built, found, or failed and logged); never rejects. */
export async function prepareBankLabImages({ engines, labs, images, log }: PrepareBankLabImagesInput): Promise<void> {
  const wanting = labs.filter((l) => l.topology.nodes.some((n) => (n.packages?.length ?? 0) > 0));
  if (!wanting.length) return;
  for (const engineId of engines.ids) {
    const docker = engines.get(engineId);
    if (!(await pingEngine(docker)).up) continue;
    for (const lab of wanting) {
      try {
        const tags = await prepareLabImages(docker, lab.topology, { ...images, lab: lab.id, onProgress: (message) => log.info({ lab: lab.id, engine: engineId }, message) });
        log.info({ lab: lab.id, engine: engineId, images: tags }, 'lab images ready');
      } catch (err) {
        log.error({ lab: lab.id, engine: engineId, err }, `the lab image of lab "${lab.id}" could not be built: ${(err as Error).message}`);
      }
    }
  }
}

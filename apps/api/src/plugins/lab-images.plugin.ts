// The leader's lab-image collector: every ten minutes, on each engine that answers, removes the
// `praxis-lab:<hash>` images no container uses, no lab that may still start needs
// (labs-that-may-start.ts) and that were built longer ago than PRAXIS_LAB_IMAGE_GRACE. Registered
// after the attempts plugin, so its first round follows the seed bank's import.
import fp from 'fastify-plugin';
import { collectLabImages, neededLabImageTags, pingEngine } from '@praxis/sandbox';
import type { Config } from '../config';
import { labsThatMayStart } from '../services/banks/labs-that-may-start';

export const LAB_IMAGE_TASK = 'collect lab images';
const INTERVAL_MS = 10 * 60_000;

export default fp<{ config: Config }>(
  async (app, { config }) => {
    const grace = config.labImageGraceSeconds;
    if (grace === null) return;
    const collect = async () => {
      const topologies = (await labsThatMayStart(app.db)).map((l) => l.topology);
      for (const engine of app.sandbox.engines.ids) {
        const docker = app.sandbox.engines.get(engine);
        if (!(await pingEngine(docker)).up) continue;
        // A base image that cannot be found makes the needed tags unknown: nothing is removed then.
        const needed = await neededLabImageTags(docker, topologies, config.images);
        for (const image of await collectLabImages(docker, { needed, graceMs: grace * 1000 })) {
          if (image.outcome === 'removed') app.log.info({ engine, image: image.tag, packages: image.packages, addedMb: image.addedBytes === null ? null : Math.round(image.addedBytes / 2 ** 20), builtAt: image.createdAt }, 'unused lab image removed');
          if (image.outcome === 'refused') app.log.warn({ engine, image: image.tag }, 'an unused lab image could not be removed (the engine refused; a container or a child image uses it now)');
        }
      }
    };
    app.addHook('onReady', async () => app.cluster.tasks.every(LAB_IMAGE_TASK, INTERVAL_MS, collect));
  },
  { name: 'lab-images', dependencies: ['db', 'cluster', 'sandbox', 'attempts'] },
);

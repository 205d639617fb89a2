// Owns the authoring-test runs (`app.authoring`): kept in the database with the instance each
// holds (the collector reads it there, and queue claims count it), so any process shows and
// follows any run; gives the leader the task of ending runs whose process is gone; on close
// waits for this process's running runs so they destroy their instances.
import fp from 'fastify-plugin';
import type { Config } from '../config';
import { AuthoringTestRuns } from '../services/authoring/authoring-test-runs';

declare module 'fastify' {
  interface FastifyInstance {
    authoring: AuthoringTestRuns;
  }
}

export default fp<{ config: Config }>(
  async (app, { config }) => {
    const runs = new AuthoringTestRuns({
      db: app.db,
      engines: app.sandbox.engines,
      images: app.sandbox.images,
      scope: config.scope,
      maxInstances: config.maxInstances,
      workerId: app.cluster.workerId,
      bus: app.cluster.bus,
      log: app.log,
    });
    app.decorate('authoring', runs);
    app.cluster.tasks.every('end orphaned authoring runs', 2000, async () => runs.endOrphans(await app.cluster.coordination.liveWorkers()));
    app.addHook('onClose', async () => runs.close());
  },
  { name: 'authoring', dependencies: ['db', 'sandbox', 'cluster'] },
);

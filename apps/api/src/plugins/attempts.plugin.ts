// Owns the attempt runner: created with the database and the sandbox, started when the app is
// ready (after a restart it resumes from the database; the seed bank is imported first when
// configured), stopped on close without touching the instances of running attempts. Tells the
// sandbox collector which instances are live.
import fp from 'fastify-plugin';
import type { Config } from '../config';
import { AttemptEvents } from '../services/attempts/attempt-events';
import { AttemptMetrics } from '../services/attempts/attempt-metrics';
import { AttemptRunner } from '../services/attempts/attempt-runner';
import { seedCourseBank } from '../services/banks/seed-course-bank';
import { refreshWarmPools } from '../services/attempts/warm-pools';
import { InstancePool } from '@praxis/sandbox';
import { CloseCode } from '@praxis/terminal-protocol';

declare module 'fastify' {
  interface FastifyInstance {
    attempts: {
      runner: AttemptRunner;
      events: AttemptEvents;
      metrics: AttemptMetrics;
      pool: InstancePool;
      /** Re-reads which labs to keep warm (also every minute and at start-up). */
      refreshPools: () => Promise<void>;
    };
  }
}

export default fp<{ config: Config }>(
  async (app, { config }) => {
    const events = new AttemptEvents();
    const metrics = new AttemptMetrics();
    // The warm pool: instances of the available tests' labs, provisioned ahead (warm-pools.ts).
    const pool: InstancePool = new InstancePool(app.sandbox.docker, {
      scope: config.scope,
      imagesDir: app.sandbox.images.imagesDir,
      baseImage: app.sandbox.images.baseImage,
      onError: (key, err) => app.log.error({ pool: key, err }, 'warm pool refill failed'),
      // The instance about to be made is already in pool.size(): room means not over the limit.
      hasRoom: async (): Promise<boolean> => (await runner.freeSlots()) >= 0,
    });
    const pooled = new Map<string, unknown>();
    const refreshPools = () =>
      refreshWarmPools(app.db, pool, config.warmPool, pooled)
        .then(() => pool.recycle())
        .catch((err) => app.log.error({ err }, 'warm pool refresh failed'));
    const runner: AttemptRunner = new AttemptRunner({
      db: app.db,
      docker: app.sandbox.docker,
      images: app.sandbox.images,
      scope: config.scope,
      maxInstances: config.maxInstances,
      // The authoring plugin registers after this one; read it when the queue runs.
      reservedInstances: () => (app.hasDecorator('authoring') ? app.authoring.activeCount() : 0),
      events,
      metrics,
      log: app.log,
      pool,
      // The terminal plugin registers after this one; read it when an attempt ends.
      closeTerminals: async (instanceIds, reason) => {
        if (!app.hasDecorator('terminals')) return;
        await Promise.all(instanceIds.map((id) => app.terminals.closeInstance(id, CloseCode.timeUp, reason)));
      },
      // The terminal plugin registers after this one; a reset closes the old machines' terminals.
      retireInstance: async (instanceId) => {
        if (app.hasDecorator('terminals')) await app.terminals.closeInstance(instanceId, CloseCode.labReset, 'the lab was reset: fresh machines are ready');
      },
    });
    app.decorate('attempts', { runner, events, metrics, pool, refreshPools });
    app.sandbox.knownInstanceIds = () => runner.knownInstanceIds();
    app.addHook('onReady', async () => {
      if (config.seedLabsDir) {
        const seeded = await seedCourseBank(app.db, config.seedLabsDir);
        if (seeded.outcome === 'invalid') app.log.error({ dir: config.seedLabsDir, errors: seeded.errors }, 'the seed labs are invalid; nothing was imported');
        else app.log.info({ dir: config.seedLabsDir, ...seeded }, 'seed bank');
      }
      await runner.start();
      await refreshPools();
      poolTimer = setInterval(() => void refreshPools(), 60_000);
      poolTimer.unref();
    });
    let poolTimer: NodeJS.Timeout | undefined;
    app.addHook('onClose', async () => {
      clearInterval(poolTimer);
      await runner.stop();
      await pool.close();
    });
  },
  { name: 'attempts', dependencies: ['db', 'sandbox'] },
);

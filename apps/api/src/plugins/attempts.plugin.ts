// Owns the attempt runner: created with the database, the sandbox and this process's place in
// the deployment; gives the leader its sweeps (deadlines and queue positions every half second,
// taking over the work of processes that are gone every two seconds); imports the seed bank once
// per deployment at start-up; keeps the warm pool (a single process only; its instances are
// recorded in the database, so a restart adopts them); stopped on close without touching the
// instances of running attempts.
import fp from 'fastify-plugin';
import { InstancePool } from '@praxis/sandbox';
import { CloseCode } from '@praxis/terminal-protocol';
import type { Config } from '../config';
import { AttemptEvents } from '../services/attempts/attempt-events';
import { AttemptMetrics } from '../services/attempts/attempt-metrics';
import { AttemptRunner } from '../services/attempts/attempt-runner';
import { refreshWarmPools, warmPoolLedger } from '../services/attempts/warm-pools';
import { seedCourseBank } from '../services/banks/seed-course-bank';

/** Every process closes its terminals of the instances named here (an attempt ending anywhere). */
export const TERMINALS_CLOSE_CHANNEL = 'praxis_terminals_close';
export interface TerminalsClose {
  instanceIds: string[];
  /** The close code the browsers get (4408 time up, 4409 lab reset). */
  code: number;
  reason: string;
}

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
    const events = new AttemptEvents(app.cluster.bus);
    const metrics = new AttemptMetrics();
    // The warm pool: instances of the available tests' labs, provisioned ahead and recorded in the
    // database (warm-pools.ts), so the collector knows them and a restart adopts the ready ones.
    // Several processes keep none (PRAXIS_CLUSTER=1).
    const pooling = !config.cluster;
    if (!pooling && config.warmPool > 0) app.log.warn({ warmPool: config.warmPool }, 'PRAXIS_WARM_POOL is ignored with PRAXIS_CLUSTER=1 (docs/deploy.md)');
    const pool: InstancePool = new InstancePool(app.sandbox.docker, {
      ledger: warmPoolLedger(app.db),
      scope: config.scope,
      imagesDir: app.sandbox.images.imagesDir,
      baseImage: app.sandbox.images.baseImage,
      onError: (key, err) => app.log.error({ pool: key, err }, 'warm pool refill failed'),
      // The instance about to be made is already in pool.size(): room means not over the limit.
      hasRoom: async (): Promise<boolean> => (await runner.freeSlots()) >= 0,
    });
    const refreshPools = async () => {
      if (!pooling) return;
      await refreshWarmPools(app.db, app.sandbox.docker, pool, config.warmPool)
        .then(() => pool.recycle())
        .catch((err) => app.log.error({ err }, 'warm pool refresh failed'));
    };
    // This process's terminals at once (before the nodes are paused or removed), every other's by the bus.
    const closeTerminals = async (instanceIds: string[], code: number, reason: string) => {
      app.cluster.bus.publish(TERMINALS_CLOSE_CHANNEL, { instanceIds, code, reason } satisfies TerminalsClose);
      // The terminal plugin registers after this one; read it when an attempt ends.
      if (!app.hasDecorator('terminals')) return;
      await Promise.all(instanceIds.map((id) => app.terminals.closeInstance(id, code, reason)));
    };
    const runner: AttemptRunner = new AttemptRunner({
      db: app.db,
      engines: app.sandbox.engines,
      images: app.sandbox.images,
      scope: config.scope,
      maxInstances: config.maxInstances,
      events,
      metrics,
      log: app.log,
      workerId: app.cluster.workerId,
      liveWorkers: () => app.cluster.coordination.liveWorkers(),
      pool,
      poolEngineId: app.sandbox.engines.ids[0],
      closeTerminals: (instanceIds, reason) => closeTerminals(instanceIds, CloseCode.timeUp, reason),
      // A reset closes the old machines' terminals.
      retireInstance: (instanceId) => closeTerminals([instanceId], CloseCode.labReset, 'the lab was reset: fresh machines are ready'),
    });
    app.decorate('attempts', { runner, events, metrics, pool, refreshPools });
    app.cluster.tasks.every('attempt sweep', 500, () => runner.sweep());
    app.cluster.tasks.every('take over interrupted attempts', 2000, () => runner.recover());
    let poolTimer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      if (config.seedLabsDir) {
        const dir = config.seedLabsDir;
        // Every process asks; the first imports, the others find the bank.
        const seeded = await app.cluster.once('seed-course-bank', () => seedCourseBank(app.db, dir));
        if (seeded.outcome === 'invalid') app.log.error({ dir, errors: seeded.errors }, 'the seed labs are invalid; nothing was imported');
        else app.log.info({ dir, ...seeded }, 'seed bank');
      }
      if (pooling) {
        await refreshPools();
        poolTimer = setInterval(() => void refreshPools(), 60_000);
        poolTimer.unref();
      }
    });
    app.addHook('onClose', async () => {
      clearInterval(poolTimer);
      await runner.stop();
      await pool.close();
      events.close();
    });
  },
  { name: 'attempts', dependencies: ['db', 'sandbox', 'cluster'] },
);

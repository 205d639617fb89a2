// Owns the attempt runner: created with the database, the sandbox and this process's place in
// the deployment; gives the leader its sweeps (deadlines and queue positions every half second,
// taking over the work of processes that are gone every two seconds); imports the seed bank once
// per deployment at start-up; keeps the deployment's warm pool (recorded in the database: any
// process claims from it, the leader refills it and hears of every claim on the event bus); ends
// the terminals of an attempt in every process before its nodes are frozen or removed; stopped on
// close without touching the instances of running attempts.
import fp from 'fastify-plugin';
import { CloseCode } from '@praxis/terminal-protocol';
import type { Config } from '../config';
import { AttemptEvents } from '../services/attempts/attempt-events';
import { AttemptMetrics } from '../services/attempts/attempt-metrics';
import { AttemptRunner } from '../services/attempts/attempt-runner';
import { BusRequests } from '../services/cluster/bus-requests';
import { WarmPools } from '../services/attempts/warm-pools';
import { seedCourseBank } from '../services/banks/seed-course-bank';

/**
 * Every process closes its terminals of the instances named here (an attempt ending anywhere, a
 * lab reset, an engine marked down). Ends of attempts and resets are requests (bus-requests.ts):
 * each process answers once its shells are hung up, and the sender waits for all before it
 * pauses or removes the nodes.
 */
export const TERMINALS_CLOSE_CHANNEL = 'praxis_terminals_close';
/** Warm instances taken out of the pool (claimed or evicted) by any process: the leader refills. */
export const WARM_TAKEN_CHANNEL = 'praxis_warm_taken';
/** How long an attempt's end waits for the other processes to close their terminals before it freezes the nodes anyway. */
export const TERMINALS_CLOSE_WAIT_MS = 15_000;

export interface TerminalsClose {
  instanceIds: string[];
  /** The close code the browsers get (4408 time up, 4409 lab reset). */
  code: number;
  reason: string;
  /** The instances are being frozen or removed: no process opens a terminal on them again. */
  final?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    attempts: {
      runner: AttemptRunner;
      events: AttemptEvents;
      metrics: AttemptMetrics;
      pool: WarmPools;
      /** The leader re-reads which labs to keep warm (also every 30 s and when it becomes the leader). */
      refreshPools: () => Promise<void>;
    };
  }
}

export default fp<{ config: Config }>(
  async (app, { config }) => {
    const events = new AttemptEvents(app.cluster.bus);
    const metrics = new AttemptMetrics();
    // The warm pool: instances of the available tests' labs, provisioned ahead on the engines and
    // recorded in the database (warm-pools.ts), so the collector knows them, any process claims
    // them, and a restart or a new leader adopts the ready ones.
    const pool = new WarmPools({
      db: app.db,
      engines: app.sandbox.engines,
      images: app.sandbox.images,
      scope: config.scope,
      defaultSize: config.warmPool,
      leads: () => app.cluster.coordination.leader,
      onError: (key, err) => app.log.error({ pool: key, err }, 'warm pool refill failed'),
    });
    const refreshPools = () => pool.refresh().catch((err: unknown) => app.log.error({ err }, 'warm pool refresh failed'));
    app.cluster.bus.subscribe<{ instanceIds: string[] }>(WARM_TAKEN_CHANNEL, ({ instanceIds }) => {
      for (const id of instanceIds) pool.forget(id);
    });
    // Every process ends its terminals of the instances named (this one too: the terminal plugin
    // registers after this one, so it is read when a message comes).
    const terminalCloses = new BusRequests<TerminalsClose>({ bus: app.cluster.bus, coordination: app.cluster.coordination, channel: TERMINALS_CLOSE_CHANNEL, log: app.log });
    terminalCloses.serve(async (m) => {
      if (!app.hasDecorator('terminals')) return;
      await Promise.all(m.instanceIds.map((id) => app.terminals.closeInstance(id, m.code, m.reason, { final: m.final })));
    });
    // This process's terminals at once, every process's by a request each one answers when done:
    // the caller pauses or removes the nodes next, and an exec into a node (a terminal's hang-up in
    // another process) must not be starting then; on Docker 20.10 it would never start and would
    // hold every later inspect of the node, and with it the grading (docker-call.ts).
    const closeTerminals = async (instanceIds: string[], code: number, reason: string) => {
      const local = app.hasDecorator('terminals') ? Promise.all(instanceIds.map((id) => app.terminals.closeInstance(id, code, reason, { final: true }))) : undefined;
      const t0 = Date.now();
      const { silent } = await terminalCloses.request({ instanceIds, code, reason, final: true }, TERMINALS_CLOSE_WAIT_MS);
      await local;
      if (silent.length) app.log.error({ instanceIds, silent, waitedMs: Date.now() - t0 }, 'processes did not confirm closing their terminals of these instances; going on');
    };
    const runner: AttemptRunner = new AttemptRunner({
      db: app.db,
      engines: app.sandbox.engines,
      images: app.sandbox.images,
      scope: config.scope,
      maxInstances: config.maxInstances,
      provisionConcurrency: config.provisionConcurrency,
      events,
      metrics,
      log: app.log,
      workerId: app.cluster.workerId,
      liveWorkers: () => app.cluster.coordination.liveWorkers(),
      onWarmTaken: (instanceIds) => app.cluster.bus.publish(WARM_TAKEN_CHANNEL, { instanceIds }),
      closeTerminals: (instanceIds, reason) => closeTerminals(instanceIds, CloseCode.timeUp, reason),
      // A reset closes the old machines' terminals.
      retireInstance: (instanceId) => closeTerminals([instanceId], CloseCode.labReset, 'the lab was reset: fresh machines are ready'),
    });
    app.decorate('attempts', { runner, events, metrics, pool, refreshPools });
    app.cluster.tasks.every('attempt sweep', 500, () => runner.sweep());
    app.cluster.tasks.every('take over interrupted attempts', 2000, () => runner.recover());
    app.cluster.tasks.every('warm pool refresh', 30_000, refreshPools);
    app.addHook('onReady', async () => {
      if (config.seedLabsDir) {
        const dir = config.seedLabsDir;
        // Every process asks; the first imports, the others find the bank.
        const seeded = await app.cluster.once('seed-course-bank', () => seedCourseBank(app.db, dir));
        if (seeded.outcome === 'invalid') app.log.error({ dir, errors: seeded.errors }, 'the seed labs are invalid; nothing was imported');
        else app.log.info({ dir, ...seeded }, 'seed bank');
      }
      // The pool's targets are the seeded tests' labs: the leader fills it now, then every 30 s.
      if (app.cluster.coordination.leader) await refreshPools();
    });
    app.addHook('onClose', async () => {
      await runner.stop();
      await pool.close();
      events.close();
    });
  },
  { name: 'attempts', dependencies: ['db', 'sandbox', 'cluster'] },
);

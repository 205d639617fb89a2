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

declare module 'fastify' {
  interface FastifyInstance {
    attempts: { runner: AttemptRunner; events: AttemptEvents; metrics: AttemptMetrics };
  }
}

export default fp<{ config: Config }>(
  async (app, { config }) => {
    const events = new AttemptEvents();
    const metrics = new AttemptMetrics();
    const runner = new AttemptRunner({
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
    });
    app.decorate('attempts', { runner, events, metrics });
    app.sandbox.knownInstanceIds = () => runner.knownInstanceIds();
    app.addHook('onReady', async () => {
      if (config.seedLabsDir) {
        const seeded = await seedCourseBank(app.db, config.seedLabsDir);
        if (seeded.outcome === 'invalid') app.log.error({ dir: config.seedLabsDir, errors: seeded.errors }, 'the seed labs are invalid; nothing was imported');
        else app.log.info({ dir: config.seedLabsDir, ...seeded }, 'seed bank');
      }
      await runner.start();
    });
    app.addHook('onClose', async () => runner.stop());
  },
  { name: 'attempts', dependencies: ['db', 'sandbox'] },
);

// Owns the attempt runner: created with the database and the sandbox, started when the app is
// ready (after a restart it resumes from the database), stopped on close without touching the
// instances of running attempts. Tells the sandbox collector which instances are live.
import fp from 'fastify-plugin';
import type { Config } from '../config';
import { AttemptEvents } from '../services/attempts/attempt-events';
import { AttemptMetrics } from '../services/attempts/attempt-metrics';
import { AttemptRunner } from '../services/attempts/attempt-runner';

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
      events,
      metrics,
      log: app.log,
    });
    app.decorate('attempts', { runner, events, metrics });
    app.sandbox.knownInstanceIds = () => runner.knownInstanceIds();
    app.addHook('onReady', async () => runner.start());
    app.addHook('onClose', async () => runner.stop());
  },
  { name: 'attempts', dependencies: ['db', 'sandbox'] },
);

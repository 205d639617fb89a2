// Owns the authoring-test runs (`app.authoring`): counts learners' instances so a run never takes
// the last free one, tells the sandbox collector about the instances runs hold, and on close
// waits for running runs so they destroy their instances.
import fp from 'fastify-plugin';
import type { Config } from '../config';
import { HOLDS_INSTANCE } from '../services/attempts/attempt-statuses';
import { AuthoringTestRuns } from '../services/authoring/authoring-test-runs';

declare module 'fastify' {
  interface FastifyInstance {
    authoring: AuthoringTestRuns;
  }
}

export default fp<{ config: Config }>(
  async (app, { config }) => {
    const runs = new AuthoringTestRuns({
      docker: app.sandbox.docker,
      images: app.sandbox.images,
      scope: config.scope,
      maxInstances: config.maxInstances,
      capacity: async () => ({
        held: await app.db.attemptInstance.count({ where: { attempt: { status: { in: [...HOLDS_INSTANCE] } } } }),
        queued: await app.db.attempt.count({ where: { status: 'queued' } }),
      }),
      log: app.log,
    });
    app.decorate('authoring', runs);
    // Without this, the collector would take a run's instance (same scope, unknown to the attempts).
    const attemptsKnown = app.sandbox.knownInstanceIds;
    app.sandbox.knownInstanceIds = async () => {
      const known = new Set(attemptsKnown ? await attemptsKnown() : []);
      for (const id of runs.liveInstanceIds()) known.add(id);
      return known;
    };
    app.addHook('onClose', async () => runs.close());
  },
  { name: 'authoring', dependencies: ['db', 'sandbox', 'attempts'] },
);

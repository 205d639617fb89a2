// Gives the leader the engine watch (every 5 s: down after three failed pings, up again when one
// answers, the attempts on an engine away past PRAXIS_ENGINE_GRACE ended fairly). Registered
// after the attempts, whose events the watch sends.
import fp from 'fastify-plugin';
import type { Config } from '../config';
import { EngineWatch } from '../services/engines/watch-engines';

export default fp<{ config: Config }>(
  async (app, { config }) => {
    const watch = new EngineWatch({ db: app.db, engines: app.sandbox.engines, events: app.attempts.events, graceSeconds: config.engineGraceSeconds, log: app.log });
    app.cluster.tasks.every('watch engines', 5000, () => watch.check());
  },
  { name: 'engines', dependencies: ['db', 'cluster', 'sandbox', 'attempts'] },
);

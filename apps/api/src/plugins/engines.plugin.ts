// Gives the leader the engine watch (every 5 s: down after three failed pings, up again when one
// answers, the attempts on an engine away past PRAXIS_ENGINE_GRACE ended fairly; the terminals of
// an engine marked down closed with 4503 in every process). Registered
// after the attempts, whose events the watch sends.
import fp from 'fastify-plugin';
import type { Config } from '../config';
import { CloseCode } from '@praxis/terminal-protocol';
import { EngineWatch } from '../services/engines/watch-engines';
import { TERMINALS_CLOSE_CHANNEL, type TerminalsClose } from './attempts.plugin';

export default fp<{ config: Config }>(
  async (app, { config }) => {
    const watch = new EngineWatch({
      db: app.db,
      engines: app.sandbox.engines,
      events: app.attempts.events,
      graceSeconds: config.engineGraceSeconds,
      log: app.log,
      // Every process (this one too) hears it and closes its own terminals of those instances.
      closeTerminals: (instanceIds, reason) => app.cluster.bus.publish(TERMINALS_CLOSE_CHANNEL, { instanceIds, code: CloseCode.hostUnavailable, reason } satisfies TerminalsClose),
    });
    app.cluster.tasks.every('watch engines', 5000, () => watch.check());
  },
  { name: 'engines', dependencies: ['db', 'cluster', 'sandbox', 'attempts'] },
);

// Operators' metrics in Prometheus text format. Public like /healthz: it holds counts and
// timings only, and scrapers do not sign in (put it behind the proxy's rules if that matters).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { attemptCounts } from '../services/attempts/attempt-metrics';

const metricsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/metrics', {
    config: { access: 'public' },
    schema: { tags: ['operations'], summary: 'Prometheus metrics: attempts active, queue length, provisioning and grading time, kernel watchdog', produces: ['text/plain'] },
  }, async (_request, reply) => {
    const { active, queueLength } = await attemptCounts(app.db);
    return reply.type('text/plain; version=0.0.4').send(app.attempts.metrics.render({ active, queueLength, leader: app.cluster.coordination.leader }) + (app.watchdog?.render() ?? ''));
  });
};

export default metricsRoutes;

// Operators' metrics in Prometheus text format. Public like /healthz: it holds counts and
// timings only, and scrapers do not sign in (put it behind the proxy's rules if that matters).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HOLDS_INSTANCE } from '../services/attempts/attempt-statuses';

const metricsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/metrics', {
    config: { access: 'public' },
    schema: { tags: ['operations'], summary: 'Prometheus metrics: attempts active, queue length, provisioning and grading time, kernel watchdog', produces: ['text/plain'] },
  }, async (_request, reply) => {
    const [active, queueLength] = await Promise.all([
      app.db.attempt.count({ where: { status: { in: [...HOLDS_INSTANCE] } } }),
      app.db.attempt.count({ where: { status: 'queued' } }),
    ]);
    return reply.type('text/plain; version=0.0.4').send(app.attempts.metrics.render({ active, queueLength, leader: app.cluster.coordination.leader }) + (app.watchdog?.render() ?? ''));
  });
};

export default metricsRoutes;

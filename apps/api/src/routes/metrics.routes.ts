// Operators' metrics in Prometheus text format. Public like /healthz: it holds counts and
// timings only, and scrapers do not sign in (put it behind the proxy's rules if that matters).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const metricsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/metrics', {
    config: { access: 'public' },
    schema: { tags: ['operations'], summary: 'Prometheus metrics: attempts active, queue length, provisioning and grading time, kernel watchdog', produces: ['text/plain'] },
  }, async (_request, reply) => {
    return reply.type('text/plain; version=0.0.4').send(app.attempts.metrics.render() + (app.watchdog?.render() ?? ''));
  });
};

export default metricsRoutes;

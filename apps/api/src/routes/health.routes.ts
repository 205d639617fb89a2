// Liveness for load balancers and operators: this process answers, its database answers, and at
// least one Docker engine of the deployment is up (as the leader's engine watch last saw them).
// One engine down leaves the process healthy (new attempts go to the others); 503 only when this
// process cannot serve anyone.
import type { FastifyInstance } from 'fastify';

const body = {
  type: 'object',
  properties: {
    status: { type: 'string' },
    database: { type: 'string' },
    engines: { type: 'object', additionalProperties: { type: 'string' } },
  },
  required: ['status', 'database', 'engines'],
} as const;

export default async function healthRoutes(app: FastifyInstance) {
  app.get('/healthz', { schema: { response: { 200: body, 503: body } } }, async (_request, reply) => {
    const rows = await app.db.engine.findMany({ where: { id: { in: app.sandbox.engines.ids } }, select: { id: true, status: true } }).catch(() => undefined);
    if (!rows) return reply.code(503).send({ status: 'down', database: 'down', engines: {} });
    const engines = Object.fromEntries(rows.map((r) => [r.id, r.status]));
    const up = rows.filter((r) => r.status === 'up').length;
    const status = up === rows.length ? 'ok' : up > 0 ? 'degraded' : 'down';
    return reply.code(up > 0 ? 200 : 503).send({ status, database: 'up', engines });
  });
}

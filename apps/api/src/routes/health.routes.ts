// Liveness for load balancers and operators: this process answers, its database answers, and at
// least one Docker engine of the deployment is up (as the leader's engine watch last saw them).
// One engine down leaves the process healthy (new attempts go to the others); 503 only when this
// process cannot serve anyone.
import type { FastifyInstance } from 'fastify';
import { engineStatuses } from '../services/engines/engine-health';

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
    const engines = await engineStatuses(app.db, app.sandbox.engines.ids);
    if (!engines) return reply.code(503).send({ status: 'down', database: 'down', engines: {} });
    const all = Object.values(engines);
    const up = all.filter((s) => s === 'up').length;
    const status = up === all.length ? 'ok' : up > 0 ? 'degraded' : 'down';
    return reply.code(up > 0 ? 200 : 503).send({ status, database: 'up', engines });
  });
}

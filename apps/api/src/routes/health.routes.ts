import type { FastifyInstance } from 'fastify';

/** Liveness and the one dependency that matters most: the Docker engine. */
export default async function healthRoutes(app: FastifyInstance) {
  app.get(
    '/healthz',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            properties: { status: { type: 'string' }, docker: { type: 'string' } },
            required: ['status', 'docker'],
          },
          503: {
            type: 'object',
            properties: { status: { type: 'string' }, docker: { type: 'string' } },
            required: ['status', 'docker'],
          },
        },
      },
    },
    async (_request, reply) => {
      const docker = await app.sandbox.docker
        .ping()
        .then(() => 'up')
        .catch(() => 'down');
      return reply.code(docker === 'up' ? 200 : 503).send({ status: docker === 'up' ? 'ok' : 'degraded', docker });
    },
  );
}

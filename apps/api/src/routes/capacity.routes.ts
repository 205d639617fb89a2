// Capacity for admins as JSON (the admin page reads it; /metrics stays for Prometheus).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ADMIN } from '../lib/access';
import { capacitySchema, readCapacity } from '../services/capacity/read-capacity';
import type { Config } from '../config';

const capacityRoutes: FastifyPluginAsyncZod<{ config: Config }> = async (app, { config }) => {
  app.get('/api/admin/capacity', {
    config: { access: ADMIN },
    schema: {
      tags: ['operations'],
      summary: 'Capacity: lab instances held against the maximum, the queue, attempts by status, provisioning time',
      response: { 200: capacitySchema },
    },
  }, async () => readCapacity(app.db, { maxInstances: config.maxInstances }));
};

export default capacityRoutes;

// Capacity and the engines for admins as JSON (the admin page reads them; /metrics stays for Prometheus).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ADMIN } from '../lib/access';
import { capacitySchema, readCapacity } from '../services/capacity/read-capacity';
import { engineViewSchema, readEngines } from '../services/engines/read-engines';
import { z } from 'zod';
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

  app.get('/api/admin/engines', {
    config: { access: ADMIN },
    schema: {
      tags: ['operations'],
      summary: 'The Docker engines: address, status (as the leader last saw it), lab instances held against capacity, warm pool instances, lab nodes running, last error',
      response: { 200: z.object({ engines: z.array(engineViewSchema) }) },
    },
  }, async () => ({ engines: await readEngines(app.db, app.sandbox.engines, app.sandbox.scope) }));
};

export default capacityRoutes;

// The JSON API's route files, registered in one place so app.ts needs one line.
import type { FastifyPluginAsync } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from '../config';
import authRoutes from './auth.routes';
import usersRoutes from './users.routes';
import banksRoutes from './banks.routes';
import testsRoutes from './tests.routes';
import cohortsRoutes from './cohorts.routes';
import attemptsRoutes from './attempts.routes';
import metricsRoutes from './metrics.routes';
import dashboardRoutes from './dashboard.routes';
import authoringRoutes from './authoring.routes';
import capacityRoutes from './capacity.routes';
import recordingsRoutes from './recordings.routes';
import coInstructorsRoutes from './co-instructors.routes';

const apiRoutes: FastifyPluginAsync<{ config: Config }> = async (app, { config }) => {
  // zod validates every request and serialises every response of these routes (this context only,
  // so plain JSON-schema routes elsewhere keep Fastify's defaults).
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(authRoutes, { config });
  await app.register(usersRoutes);
  await app.register(banksRoutes, { config });
  await app.register(testsRoutes, { config });
  await app.register(cohortsRoutes);
  await app.register(attemptsRoutes, { config });
  await app.register(metricsRoutes);
  await app.register(dashboardRoutes);
  await app.register(authoringRoutes);
  await app.register(capacityRoutes, { config });
  await app.register(recordingsRoutes);
  await app.register(coInstructorsRoutes);
};

export default apiRoutes;

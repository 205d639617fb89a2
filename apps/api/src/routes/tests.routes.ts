// Practice tests: instructors create them; learners see the ones assigned to their cohorts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { STAFF } from '../lib/access';
import { requireUser } from '../plugins/auth.plugin';
import { createTest } from '../services/tests/create-test';
import { findVisibleTest, listVisibleTests } from '../services/tests/find-visible-test';
import { readSelection, testInputSchema, testPatchSchema, testSchema } from '../services/tests/test-schemas';
import type { Config } from '../config';
import { updateTest } from '../services/tests/update-test';

const toTest = <T extends { selection: unknown }>(t: T) => ({ ...t, selection: readSelection(t.selection) });

const testsRoutes: FastifyPluginAsyncZod<{ config: Config }> = async (app, { config }) => {
  app.post('/api/tests', {
    config: { access: STAFF },
    schema: { tags: ['tests'], summary: 'Create a practice test on one lab of a bank', body: testInputSchema, response: { 201: testSchema } },
  }, async (request, reply) => reply.status(201).send(toTest(await createTest(app.db, request.body, requireUser(request.user).id, config.maxInstances))));

  app.patch('/api/tests/:testId', {
    config: { access: STAFF },
    schema: {
      tags: ['tests'],
      summary: 'Change a test (attempts already started keep their questions and deadline)',
      params: z.object({ testId: z.string().uuid() }),
      body: testPatchSchema,
      response: { 200: testSchema },
    },
  }, async (request) => toTest(await updateTest(app.db, request.params.testId, request.body, config.maxInstances)));

  app.get('/api/tests', {
    config: { access: 'user' },
    schema: { tags: ['tests'], summary: 'Tests I may see (staff: all; learners: assigned to my cohorts)', response: { 200: z.object({ tests: z.array(testSchema) }) } },
  }, async (request) => ({ tests: (await listVisibleTests(app.db, requireUser(request.user))).map(toTest) }));

  app.get('/api/tests/:testId', {
    config: { access: 'user' },
    schema: { tags: ['tests'], summary: 'One test', params: z.object({ testId: z.string().uuid() }), response: { 200: testSchema } },
  }, async (request) => toTest(await findVisibleTest(app.db, requireUser(request.user), request.params.testId)));
};

export default testsRoutes;

// Practice tests: instructors create them on banks they manage and manage their own (with the
// co-instructors they name); learners see open tests and the ones assigned to their cohorts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { STAFF } from '../lib/access';
import { requireUser } from '../plugins/auth.plugin';
import { findManagedBank, findManagedTest } from '../services/access/staff-access';
import { createTest } from '../services/tests/create-test';
import { findVisibleTest, listVisibleTests } from '../services/tests/find-visible-test';
import { testInputSchema, testPatchSchema, testSchema } from '../services/tests/test-schemas';
import { viewTest, viewTests } from '../services/tests/test-view';
import type { Config } from '../config';
import { updateTest } from '../services/tests/update-test';
import { briefingSchema, testBriefing } from '../services/tests/test-briefing';
import { readerLanguage } from '../lib/reader-language';

const testsRoutes: FastifyPluginAsyncZod<{ config: Config }> = async (app, { config }) => {
  app.post('/api/tests', {
    config: { access: STAFF },
    schema: { tags: ['tests'], summary: 'Create a practice test on a bank you manage (you own the test)', body: testInputSchema, response: { 201: testSchema } },
  }, async (request, reply) => {
    const user = requireUser(request.user);
    await findManagedBank(app.db, user, request.body.bankId);
    const created = await createTest(app.db, request.body, user.id, config.maxInstances);
    return reply.status(201).send(await viewTest(app.db, created.id, user));
  });

  app.patch('/api/tests/:testId', {
    config: { access: STAFF },
    schema: {
      tags: ['tests'],
      summary: 'Change a test you manage (attempts already started keep their questions and deadline)',
      params: z.object({ testId: z.string().uuid() }),
      body: testPatchSchema,
      response: { 200: testSchema },
    },
  }, async (request) => {
    const user = requireUser(request.user);
    await findManagedTest(app.db, user, request.params.testId);
    await updateTest(app.db, request.params.testId, request.body, config.maxInstances);
    return viewTest(app.db, request.params.testId, user);
  });

  app.get('/api/tests', {
    config: { access: 'user' },
    schema: { tags: ['tests'], summary: 'Tests I may see: open ones and my cohorts\' (instructors also those they manage; admins all); a test carrying its lab\'s own title reads in my language, except to those who manage it', response: { 200: z.object({ tests: z.array(testSchema) }) } },
  }, async (request) => {
    const user = requireUser(request.user);
    return { tests: await viewTests(app.db, await listVisibleTests(app.db, user), user, readerLanguage(request)) };
  });

  app.get('/api/tests/:testId', {
    config: { access: 'user' },
    schema: { tags: ['tests'], summary: 'One test', params: z.object({ testId: z.string().uuid() }), response: { 200: testSchema } },
  }, async (request) => {
    const user = requireUser(request.user);
    const test = await findVisibleTest(app.db, user, request.params.testId);
    return viewTest(app.db, test.id, user, readerLanguage(request));
  });

  app.get('/api/tests/:testId/briefing', {
    config: { access: 'user' },
    schema: {
      tags: ['tests'],
      summary: 'What to read before starting the clock: rules, time, mode, questions and each lab\'s overview (in my language where translated)',
      params: z.object({ testId: z.string().uuid() }),
      response: { 200: briefingSchema },
    },
  }, async (request) => testBriefing(app.db, requireUser(request.user), request.params.testId, readerLanguage(request)));
};

export default testsRoutes;

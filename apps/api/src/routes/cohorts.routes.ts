// Cohorts: instructors create them (and own them), name co-instructors and assign tests; an
// instructor sees and changes only the cohorts they own or co-instruct (admins all). Anyone signed
// in joins with an invite code (the web's /join/<code> link posts it) and sees their assignments.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { STAFF } from '../lib/access';
import { dateTime, text } from '../lib/input-schemas';
import { managersSchema } from '../services/access/co-instructors';
import { findManagedCohort } from '../services/access/staff-access';
import { findVisibleTest } from '../services/tests/find-visible-test';
import { readerLanguage } from '../lib/reader-language';
import { requireUser } from '../plugins/auth.plugin';
import { assignTest, createCohort, joinCohort } from '../services/cohorts/cohort-actions';
import { cohortNameOfInvite, listManagedCohorts, myAssignments, removeMember, replaceInviteCode, unassignTest, viewCohort, viewCohortDetail } from '../services/cohorts/cohort-views';

const cohortSchema = z.object({ id: z.string(), name: z.string(), inviteCode: z.string(), createdAt: z.date(), ...managersSchema });
const cohortId = z.object({ cohortId: z.string().uuid() });

const cohortsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/api/cohorts', {
    config: { access: STAFF },
    schema: { tags: ['cohorts'], summary: 'Create a cohort (with a fresh invite code)', body: z.object({ name: text({ min: 1, max: 200, trim: true }) }), response: { 201: cohortSchema } },
  }, async (request, reply) => {
    const created = await createCohort(app.db, request.body.name, requireUser(request.user).id);
    return reply.status(201).send(await viewCohort(app.db, created.id));
  });

  app.get('/api/cohorts', {
    config: { access: STAFF },
    schema: { tags: ['cohorts'], summary: 'The cohorts I manage (admins: all)', response: { 200: z.object({ cohorts: z.array(cohortSchema.extend({ members: z.number(), tests: z.number() })) }) } },
  }, async (request) => {
    return { cohorts: await listManagedCohorts(app.db, requireUser(request.user)) };
  });

  app.get('/api/cohorts/:cohortId', {
    config: { access: STAFF },
    schema: {
      tags: ['cohorts'],
      summary: 'A cohort with its members and assigned tests',
      params: cohortId,
      response: {
        200: cohortSchema.extend({
          members: z.array(z.object({ userId: z.string(), name: z.string(), email: z.string(), joinedAt: z.date() })),
          assignments: z.array(z.object({ testId: z.string(), title: z.string(), dueAt: z.date().nullable() })),
        }),
      },
    },
  }, async (request) => {
    await findManagedCohort(app.db, requireUser(request.user), request.params.cohortId);
    return viewCohortDetail(app.db, request.params.cohortId);
  });

  app.post('/api/cohorts/join', {
    config: { access: 'user' },
    schema: { tags: ['cohorts'], summary: 'Join a cohort with its invite code', body: z.object({ code: text({ min: 4, max: 40, trim: true }) }), response: { 200: z.object({ cohortId: z.string(), name: z.string() }) } },
  }, async (request) => {
    const c = await joinCohort(app.db, request.body.code, requireUser(request.user).id);
    return { cohortId: c.id, name: c.name };
  });

  app.put('/api/cohorts/:cohortId/tests/:testId', {
    config: { access: STAFF },
    schema: {
      tags: ['cohorts'],
      summary: 'Assign a test to a cohort (or change its due date)',
      params: cohortId.extend({ testId: z.string().uuid() }),
      body: z.object({ dueAt: dateTime().nullable().default(null) }),
      response: { 200: z.object({ cohortId: z.string(), testId: z.string(), dueAt: z.date().nullable() }) },
    },
  }, async (request) => {
    const user = requireUser(request.user);
    await findManagedCohort(app.db, user, request.params.cohortId);
    await findVisibleTest(app.db, user, request.params.testId);
    const a = await assignTest(app.db, request.params.cohortId, request.params.testId, request.body.dueAt);
    return { cohortId: a.cohortId, testId: a.testId, dueAt: a.dueAt };
  });

  app.delete('/api/cohorts/:cohortId/tests/:testId', {
    config: { access: STAFF },
    schema: {
      tags: ['cohorts'],
      summary: 'Unassign a test from a cohort (attempts already made stay)',
      params: cohortId.extend({ testId: z.string().uuid() }),
      response: { 204: z.null() },
    },
  }, async (request, reply) => {
    await findManagedCohort(app.db, requireUser(request.user), request.params.cohortId);
    await unassignTest(app.db, request.params.cohortId, request.params.testId);
    return reply.status(204).send(null);
  });

  app.get('/api/cohorts/invite/:code', {
    config: { access: 'public', rateLimit: { max: 30, timeWindow: 60_000 } },
    schema: {
      tags: ['cohorts'],
      summary: 'Which cohort an invite code joins (for the join page, also before signing in)',
      params: z.object({ code: text({ min: 4, max: 40 }) }),
      response: { 200: z.object({ name: z.string() }) },
    },
  }, async (request) => {
    return { name: await cohortNameOfInvite(app.db, request.params.code) };
  });

  app.post('/api/cohorts/:cohortId/invite-code', {
    config: { access: STAFF },
    schema: { tags: ['cohorts'], summary: 'Replace the invite code (the old code and link stop working)', params: cohortId, response: { 200: cohortSchema } },
  }, async (request) => {
    const found = await findManagedCohort(app.db, requireUser(request.user), request.params.cohortId);
    return replaceInviteCode(app.db, found.id);
  });

  app.delete('/api/cohorts/:cohortId/members/:userId', {
    config: { access: STAFF },
    schema: { tags: ['cohorts'], summary: 'Remove a learner from a cohort (their attempts stay)', params: cohortId.extend({ userId: z.string().uuid() }), response: { 204: z.null() } },
  }, async (request, reply) => {
    await findManagedCohort(app.db, requireUser(request.user), request.params.cohortId);
    await removeMember(app.db, request.params.cohortId, request.params.userId);
    return reply.status(204).send(null);
  });

  app.get('/api/me/assignments', {
    config: { access: 'user' },
    schema: {
      tags: ['cohorts'],
      summary: 'Tests assigned to me through my cohorts (titled in my language where a test carries its lab\'s own title)',
      response: { 200: z.object({ assignments: z.array(z.object({ cohortId: z.string(), cohort: z.string(), testId: z.string(), title: z.string(), dueAt: z.date().nullable() })) }) },
    },
  }, async (request) => {
    return { assignments: await myAssignments(app.db, requireUser(request.user).id, readerLanguage(request)) };
  });
};

export default cohortsRoutes;

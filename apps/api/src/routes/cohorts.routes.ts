// Cohorts: instructors create them (and own them), name co-instructors and assign tests; an
// instructor sees and changes only the cohorts they own or co-instruct (admins all). Anyone signed
// in joins with an invite code (the web's /join/<code> link posts it) and sees their assignments.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { STAFF } from '../lib/access';
import { dateTime, text } from '../lib/input-schemas';
import { ApiError, notFound } from '../lib/api-error';
import { managersOf, managersSchema, WITH_MANAGERS } from '../services/access/co-instructors';
import { findManagedCohort, managedBy } from '../services/access/staff-access';
import { findVisibleTest } from '../services/tests/find-visible-test';
import { requireUser } from '../plugins/auth.plugin';
import { assignTest, createCohort, joinCohort, newInviteCode } from '../services/cohorts/cohort-actions';

const cohortSchema = z.object({ id: z.string(), name: z.string(), inviteCode: z.string(), createdAt: z.date(), ...managersSchema });
const cohortId = z.object({ cohortId: z.string().uuid() });

const cohortsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/api/cohorts', {
    config: { access: STAFF },
    schema: { tags: ['cohorts'], summary: 'Create a cohort (with a fresh invite code)', body: z.object({ name: text({ min: 1, max: 200, trim: true }) }), response: { 201: cohortSchema } },
  }, async (request, reply) => {
    const created = await createCohort(app.db, request.body.name, requireUser(request.user).id);
    const c = await app.db.cohort.findUniqueOrThrow({ where: { id: created.id }, include: WITH_MANAGERS });
    return reply.status(201).send({ id: c.id, name: c.name, inviteCode: c.inviteCode, createdAt: c.createdAt, ...managersOf(c) });
  });

  app.get('/api/cohorts', {
    config: { access: STAFF },
    schema: { tags: ['cohorts'], summary: 'The cohorts I manage (admins: all)', response: { 200: z.object({ cohorts: z.array(cohortSchema.extend({ members: z.number(), tests: z.number() })) }) } },
  }, async (request) => {
    const cohorts = await app.db.cohort.findMany({
      where: managedBy(requireUser(request.user)),
      orderBy: { createdAt: 'asc' },
      include: { ...WITH_MANAGERS, _count: { select: { members: true, assignments: true } } },
    });
    return { cohorts: cohorts.map((c) => ({ id: c.id, name: c.name, inviteCode: c.inviteCode, createdAt: c.createdAt, ...managersOf(c), members: c._count.members, tests: c._count.assignments })) };
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
    const c = await app.db.cohort.findUniqueOrThrow({
      where: { id: request.params.cohortId },
      include: { ...WITH_MANAGERS, members: { include: { user: true }, orderBy: { joinedAt: 'asc' } }, assignments: { include: { test: true } } },
    });
    return {
      id: c.id,
      name: c.name,
      inviteCode: c.inviteCode,
      createdAt: c.createdAt,
      ...managersOf(c),
      members: c.members.map((m) => ({ userId: m.userId, name: m.user.name, email: m.user.email, joinedAt: m.joinedAt })),
      assignments: c.assignments.map((a) => ({ testId: a.testId, title: a.test.title, dueAt: a.dueAt })),
    };
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
    const removed = await app.db.cohortTest.deleteMany({ where: { cohortId: request.params.cohortId, testId: request.params.testId } });
    if (removed.count === 0) throw notFound('assignment', `${request.params.cohortId}/${request.params.testId}`);
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
    const c = await app.db.cohort.findUnique({ where: { inviteCode: request.params.code }, select: { name: true } });
    if (!c) throw new ApiError(404, 'INVITE_UNKNOWN', 'this invite code does not belong to any cohort; ask your instructor for the current link');
    return { name: c.name };
  });

  app.post('/api/cohorts/:cohortId/invite-code', {
    config: { access: STAFF },
    schema: { tags: ['cohorts'], summary: 'Replace the invite code (the old code and link stop working)', params: cohortId, response: { 200: cohortSchema } },
  }, async (request) => {
    const found = await findManagedCohort(app.db, requireUser(request.user), request.params.cohortId);
    const c = await app.db.cohort.update({ where: { id: found.id }, data: { inviteCode: newInviteCode() }, include: WITH_MANAGERS });
    return { id: c.id, name: c.name, inviteCode: c.inviteCode, createdAt: c.createdAt, ...managersOf(c) };
  });

  app.delete('/api/cohorts/:cohortId/members/:userId', {
    config: { access: STAFF },
    schema: { tags: ['cohorts'], summary: 'Remove a learner from a cohort (their attempts stay)', params: cohortId.extend({ userId: z.string().uuid() }), response: { 204: z.null() } },
  }, async (request, reply) => {
    await findManagedCohort(app.db, requireUser(request.user), request.params.cohortId);
    const removed = await app.db.cohortMember.deleteMany({ where: { cohortId: request.params.cohortId, userId: request.params.userId } });
    if (removed.count === 0) throw notFound('cohort member', `${request.params.cohortId}/${request.params.userId}`);
    return reply.status(204).send(null);
  });

  app.get('/api/me/assignments', {
    config: { access: 'user' },
    schema: {
      tags: ['cohorts'],
      summary: 'Tests assigned to me through my cohorts',
      response: { 200: z.object({ assignments: z.array(z.object({ cohortId: z.string(), cohort: z.string(), testId: z.string(), title: z.string(), dueAt: z.date().nullable() })) }) },
    },
  }, async (request) => {
    const rows = await app.db.cohortTest.findMany({
      where: { cohort: { members: { some: { userId: requireUser(request.user).id } } } },
      include: { cohort: true, test: true },
      orderBy: { dueAt: 'asc' },
    });
    return { assignments: rows.map((r) => ({ cohortId: r.cohortId, cohort: r.cohort.name, testId: r.testId, title: r.test.title, dueAt: r.dueAt })) };
  });
};

export default cohortsRoutes;

// Cohort dashboards for the cohort's instructors (owner, co-instructors, admins): the data behind
// the charts, and the same data as CSV.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { STAFF } from '../lib/access';
import { buildCohortDashboard, cohortResultsCsv } from '../services/dashboard/cohort-dashboard';
import { requireUser } from '../plugins/auth.plugin';
import { findManagedCohort } from '../services/access/staff-access';

const learnerSchema = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  state: z.enum(['not-started', 'in-progress', 'finished']),
  attempts: z.number(),
  bestScore: z.number().nullable(),
  maxScore: z.number().nullable(),
  percent: z.number().nullable(),
  minutesSpent: z.number().nullable(),
  lastSubmittedAt: z.date().nullable(),
  endReason: z.string().nullable(),
});

const dashboardSchema = z.object({
  cohortId: z.string(),
  name: z.string(),
  tests: z.array(
    z.object({
      testId: z.string(),
      title: z.string(),
      dueAt: z.date().nullable(),
      counts: z.object({ learners: z.number(), notStarted: z.number(), inProgress: z.number(), finished: z.number() }),
      learners: z.array(learnerSchema),
      questions: z.array(z.object({ key: z.string(), title: z.string(), answered: z.number(), passed: z.number(), passRate: z.number() })),
      distribution: z.array(z.object({ from: z.number(), to: z.number(), learners: z.number() })),
      minutesSpent: z.object({ median: z.number().nullable(), mean: z.number().nullable() }),
    }),
  ),
});

const params = z.object({ cohortId: z.string().uuid() });

const dashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/cohorts/:cohortId/dashboard', {
    config: { access: STAFF },
    schema: { tags: ['cohorts'], summary: 'Progress, scores, pass rates per question, score distribution and time spent', params, response: { 200: dashboardSchema } },
  }, async (request) => {
    await findManagedCohort(app.db, requireUser(request.user), request.params.cohortId);
    return buildCohortDashboard(app.db, request.params.cohortId);
  });

  app.get('/api/cohorts/:cohortId/results.csv', {
    config: { access: STAFF },
    schema: { tags: ['cohorts'], summary: "The cohort's results as CSV (one row per learner and test)", params, produces: ['text/csv'] },
  }, async (request, reply) => {
    await findManagedCohort(app.db, requireUser(request.user), request.params.cohortId);
    const dashboard = await buildCohortDashboard(app.db, request.params.cohortId);
    const file = `${dashboard.name.replace(/[^A-Za-z0-9-]+/g, '-').slice(0, 60) || 'cohort'}-results.csv`;
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file}"`).send(cohortResultsCsv(dashboard));
  });
};

export default dashboardRoutes;

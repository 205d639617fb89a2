// The authoring test from the API: start a run over a bank version's labs (a job: 202 and a run
// id), read its progress and table (or follow it as server-sent events), list a version's recent runs.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { STAFF } from '../lib/access';
import { ApiError } from '../lib/api-error';
import { createEventStreams } from '../lib/event-streams';
import { text, wholeNumber } from '../lib/input-schemas';
import type { User } from '@praxis/db';
import { requireUser } from '../plugins/auth.plugin';
import { findManagedBank, findManagedBankVersion } from '../services/access/staff-access';
import { readBankContent } from '../services/banks/bank-content';

const status = z.enum(['failed', 'passed', 'error']);
const runSchema = z.object({
  id: z.string(),
  bankId: z.string(),
  version: z.number(),
  status: z.enum(['running', 'passed', 'failed']),
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
  labs: z.array(
    z.object({
      lab: z.string(),
      status: z.enum(['waiting', 'running', 'passed', 'failed']),
      phase: z.string().nullable(),
      failure: z.string().nullable(),
      provisionMs: z.number().nullable(),
      durationMs: z.number().nullable(),
    }),
  ),
  rows: z.array(
    z.object({
      lab: z.string(),
      question: z.string(),
      kind: z.enum(['choice', 'answer', 'task']),
      fresh: status.nullable(),
      solved: z.enum(['failed', 'passed', 'error', 'solve failed']).nullable(),
      expected: z.string().nullable(),
      actual: z.string().nullable(),
      ok: z.boolean(),
      pending: z.boolean(),
      detail: z.string(),
      durationMs: z.number(),
    }),
  ),
  totals: z.object({ labs: z.number(), labsDone: z.number(), questions: z.number(), ok: z.number(), surprises: z.number(), durationMs: z.number() }),
});
const versionParams = z.object({ bankId: z.string().uuid(), version: wholeNumber({ min: 1, coerce: true }) });

const authoringRoutes: FastifyPluginAsyncZod = async (app) => {
  const findVersion = (user: User, bankId: string, version: number) => findManagedBankVersion(app.db, user, bankId, version);

  app.post('/api/banks/:bankId/versions/:version/authoring-tests', {
    config: { access: STAFF },
    schema: {
      tags: ['banks'],
      summary: 'Start the authoring test of a bank version (every lab, or `lab`): real machines, checks must fail fresh and pass after the solutions. Answers 202; poll the run.',
      params: versionParams,
      body: z.object({ lab: text({ min: 1, max: 100 }).optional() }).optional(),
      response: { 202: runSchema },
    },
  }, async (request, reply) => {
    const v = await findVersion(requireUser(request.user), request.params.bankId, request.params.version);
    const labs = readBankContent(v).labs;
    const run = await app.authoring.start({ id: v.id, bankId: v.bankId, version: v.version, labs }, request.body?.lab);
    return reply.status(202).header('location', `/api/authoring-tests/${run.id}`).send(run);
  });

  app.get('/api/banks/:bankId/versions/:version/authoring-tests', {
    config: { access: STAFF },
    schema: {
      tags: ['banks'],
      summary: 'Recent authoring-test runs of a bank version, newest first (the last 20)',
      params: versionParams,
      response: { 200: z.object({ runs: z.array(runSchema) }) },
    },
  }, async (request) => {
    const v = await findVersion(requireUser(request.user), request.params.bankId, request.params.version);
    return { runs: await app.authoring.listFor(v.id) };
  });

  const findRun = async (user: User, runId: string) => {
    const run = await app.authoring.get(runId);
    const notFound = () => new ApiError(404, 'AUTHORING_TEST_NOT_FOUND', `no authoring-test run with id "${runId}"`);
    if (!run) throw notFound();
    // A run of a bank the caller does not manage is not theirs to see.
    await findManagedBank(app.db, user, run.bankId).catch(() => {
      throw notFound();
    });
    return run;
  };

  const openEventStream = createEventStreams(app);

  app.get('/api/authoring-tests/:runId/events', {
    config: { access: STAFF },
    schema: {
      tags: ['banks'],
      summary: 'Server-sent events: `run` with the whole run (as GET /api/authoring-tests/:runId) now and after every change; the stream ends when the run has finished',
      params: z.object({ runId: z.string().uuid() }),
      produces: ['text/event-stream'],
    },
  }, async (request, reply) => {
    const run = await findRun(requireUser(request.user), request.params.runId);
    let unsubscribe = () => {};
    const stream = openEventStream(request, reply, () => unsubscribe());
    const send = (r: typeof run) => {
      stream.send('run', r);
      if (r.status !== 'running') stream.end();
    };
    unsubscribe = app.authoring.subscribe(run.id, send);
    // Read again after subscribing, so a change between the first read and the subscription is not lost.
    send((await app.authoring.get(run.id)) ?? run);
  });

  app.get('/api/authoring-tests/:runId', {
    config: { access: STAFF },
    schema: {
      tags: ['banks'],
      summary: "One authoring-test run: status, each lab's phase, the rows of finished labs, totals",
      params: z.object({ runId: z.string().uuid() }),
      response: { 200: runSchema },
    },
  }, async (request) => findRun(requireUser(request.user), request.params.runId));
};

export default authoringRoutes;

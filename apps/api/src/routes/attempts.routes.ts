// Attempts: start (queued or provisioning), follow provisioning over SSE, read the attempt with
// the server's deadline, save answers, check a task, keep notes, give up on a practice question,
// report time on a question, reset a practice lab, submit, read the result.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { User } from '@praxis/db';
import { requireUser } from '../plugins/auth.plugin';
import { STAFF } from '../lib/access';
import { createEventStreams } from '../lib/event-streams';
import { ApiError } from '../lib/api-error';
import { text, wholeNumber } from '../lib/input-schemas';
import { isFinalEvent, type AttemptEvent } from '../services/attempts/attempt-events';
import { answerInputSchema, answerSchema, attemptViewSchema, checkResultSchema, loadAttemptFor, stageUnlockSchema, resultSchema, toAttemptView, toResultView } from '../services/attempts/attempt-views';
import { checkTask, saveAnswer } from '../services/attempts/answer-question';
import { flagQuestion } from '../services/attempts/flag-question';
import { startAttempt } from '../services/attempts/start-attempt';
import { currentAttempt, myAttempts, supervisedAttempts } from '../services/attempts/attempt-lists';
import { mintTerminalToken } from '../services/attempts/mint-terminal-token';
import { SESSION_COOKIE, sessionIdOf } from '../services/accounts/sessions';
import { giveUpQuestion, MAX_NOTES, recordTimeSpent, saveNotes } from '../services/attempts/practice-actions';
import { readerLanguage } from '../lib/reader-language';
import type { Config } from '../config';

const attemptId = z.object({ attemptId: z.string().uuid() });
const questionParams = attemptId.extend({ position: wholeNumber({ min: 1, max: 1000, coerce: true }) });

const attemptsRoutes: FastifyPluginAsyncZod<{ config: Config }> = async (app, { config }) => {
  const view = async (id: string, user: User, language: string | undefined) => {
    const a = await loadAttemptFor(app.db, user, id, 'owner-or-staff');
    return toAttemptView(a, await app.attempts.runner.queuePosition(a), { language, viewer: user });
  };

  app.post('/api/tests/:testId/attempts', {
    config: { access: 'user' },
    schema: {
      tags: ['attempts'],
      summary: 'Start an attempt: its lab is provisioned now, or it waits in the queue with a position',
      params: z.object({ testId: z.string().uuid() }),
      response: { 202: attemptViewSchema },
    },
  }, async (request, reply) => {
    const user = requireUser(request.user);
    const attempt = await startAttempt(app.db, user, request.params.testId, { maxInstances: config.maxInstances, maxUnfinished: config.maxUnfinishedAttempts });
    await app.attempts.runner.enqueue();
    return reply.status(202).send(await view(attempt.id, user, readerLanguage(request)));
  });

  app.get('/api/attempts', {
    config: { access: 'user' },
    schema: {
      tags: ['attempts'],
      summary: 'My attempts',
      response: { 200: z.object({ attempts: z.array(z.object({ id: z.string(), testId: z.string(), title: z.string(), status: z.string(), score: z.number().nullable(), maxScore: z.number(), createdAt: z.date(), deadlineAt: z.date().nullable() })) }) },
    },
  }, async (request) => {
    return { attempts: await myAttempts(app.db, requireUser(request.user).id, readerLanguage(request)) };
  });

  app.get('/api/tests/:testId/attempts', {
    config: { access: STAFF },
    schema: {
      tags: ['attempts'],
      summary: "The attempts of a test I supervise: all of them when I manage the test, else those of my cohorts' learners (watch a running one's terminal read-only, open results)",
      params: z.object({ testId: z.string().uuid() }),
      response: {
        200: z.object({
          attempts: z.array(z.object({ id: z.string(), userId: z.string(), learner: z.string(), email: z.string(), status: z.string(), score: z.number().nullable(), maxScore: z.number(), startedAt: z.date().nullable(), deadlineAt: z.date().nullable(), endReason: z.string().nullable() })),
        }),
      },
    },
  }, async (request) => {
    return { attempts: await supervisedAttempts(app.db, requireUser(request.user), request.params.testId) };
  });

  app.get('/api/attempts/:attemptId', {
    config: { access: 'user' },
    schema: { tags: ['attempts'], summary: 'The attempt as its learner sees it, with the server\'s deadline and remaining time', params: attemptId, response: { 200: attemptViewSchema } },
  }, async (request) => view(request.params.attemptId, requireUser(request.user), readerLanguage(request)));

  const openEventStream = createEventStreams(app);

  app.get('/api/attempts/:attemptId/events', {
    config: { access: 'user' },
    schema: {
      tags: ['attempts'],
      summary: 'Server-sent events: queue position and provisioning progress until the lab is ready (or failed); the stream then ends',
      params: attemptId,
      produces: ['text/event-stream'],
    },
  }, async (request, reply) => {
    const user = requireUser(request.user);
    const a = await loadAttemptFor(app.db, user, request.params.attemptId, 'owner-or-staff');
    let unsubscribe = () => {};
    const stream = openEventStream(request, reply, () => unsubscribe());
    const send = (e: AttemptEvent) => stream.send(e.type, e);
    const end = stream.end;
    unsubscribe = app.attempts.events.subscribe(a.id, (e) => {
      send(e);
      if (isFinalEvent(e)) end();
    });
    // Snapshot after subscribing, so nothing between the read and the subscription is lost.
    const fresh = await currentAttempt(app.db, a.id);
    if (fresh.status === 'queued') send({ type: 'queued', position: (await app.attempts.runner.queuePosition(fresh)) ?? 1 });
    else if (fresh.status === 'active' || fresh.status === 'grading') {
      send({ type: 'ready', deadlineAt: fresh.deadlineAt!.toISOString(), provisionMs: fresh.provisionMs ?? 0 });
      end();
    } else if (fresh.status === 'graded') {
      send({ type: 'graded', score: fresh.score ?? 0, maxScore: fresh.maxScore });
      end();
    } else if (fresh.status === 'failed') {
      send({ type: 'failed', message: fresh.error ?? 'the attempt failed' });
      end();
    } else if (fresh.status === 'cancelled') {
      send({ type: 'cancelled' });
      end();
    }
  });

  app.put('/api/attempts/:attemptId/answers/:position', {
    config: { access: 'user' },
    schema: {
      tags: ['attempts'],
      summary: 'Save a draft answer (choice: option ids; answer: text); refused after the deadline',
      params: questionParams,
      body: z.object({ answer: answerInputSchema }),
      response: { 200: z.object({ position: z.number(), answer: answerSchema, answeredAt: z.date() }) },
    },
  }, async (request) => {
    const a = await loadAttemptFor(app.db, requireUser(request.user), request.params.attemptId, 'owner');
    return saveAnswer(app.db, a, request.params.position, request.body.answer);
  });

  app.put('/api/attempts/:attemptId/questions/:position/flag', {
    config: { access: 'user' },
    schema: {
      tags: ['attempts'],
      summary: 'Flag a question for review, or clear the flag (the learner\'s own mark; only while the attempt runs)',
      params: questionParams,
      body: z.object({ flagged: z.boolean() }),
      response: { 200: z.object({ position: z.number(), flagged: z.boolean() }) },
    },
  }, async (request) => {
    const a = await loadAttemptFor(app.db, requireUser(request.user), request.params.attemptId, 'owner');
    return flagQuestion(app.db, a, request.params.position, request.body.flagged);
  });

  app.post('/api/attempts/:attemptId/questions/:position/check', {
    config: { access: 'user' },
    schema: {
      tags: ['attempts'],
      summary: 'Run a task\'s check now (when the test allows it, or the task unlocks a stage), with the grader\'s reason; a pass that completes a lab stage runs its setup once and opens it (stages)',
      params: questionParams,
      response: { 200: checkResultSchema.extend({ position: z.number(), stages: z.array(stageUnlockSchema) }) },
    },
  }, async (request) => {
    const a = await loadAttemptFor(app.db, requireUser(request.user), request.params.attemptId, 'owner');
    return checkTask(app.db, app.sandbox.engines, app.sandbox.images, a, request.params.position, request.log);
  });

  app.post('/api/attempts/:attemptId/cancel', {
    config: { access: 'user' },
    schema: { tags: ['attempts'], summary: 'Leave the queue (only while queued). A cancelled attempt counts against the test\'s attempts and has no result', params: attemptId, response: { 200: attemptViewSchema } },
  }, async (request) => {
    const user = requireUser(request.user);
    const a = await loadAttemptFor(app.db, user, request.params.attemptId, 'owner');
    if (!(await app.attempts.runner.cancel(a.id))) throw new ApiError(409, 'ATTEMPT_NOT_QUEUED', `the attempt is ${a.status}; only a queued attempt can be cancelled (submit a running one)`);
    return view(a.id, user, readerLanguage(request));
  });

  app.post('/api/attempts/:attemptId/submit', {
    config: { access: 'user' },
    schema: { tags: ['attempts'], summary: 'Submit: grade everything, destroy the lab, return the result', params: attemptId, response: { 200: resultSchema } },
  }, async (request) => {
    const user = requireUser(request.user);
    const a = await loadAttemptFor(app.db, user, request.params.attemptId, 'owner');
    // Also waits when the deadline got there first and grading is under way.
    if (a.status === 'active' || a.status === 'grading') await app.attempts.runner.finish(a.id, 'submitted');
    return toResultView(app.db, await loadAttemptFor(app.db, user, a.id, 'owner'), user, readerLanguage(request));
  });

  app.post('/api/attempts/:attemptId/terminal-token', {
    config: { access: 'user' },
    schema: {
      tags: ['attempts'],
      summary: "A short-lived token for the terminal WebSocket of one node: write for the attempt's learner, read-only for staff",
      params: attemptId,
      body: z.object({ node: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/), lab: text({ min: 1, max: 63 }).optional().describe('default: the first lab') }),
      response: { 200: z.object({ token: z.string(), mode: z.enum(['write', 'read']), lab: z.string(), expiresAt: z.date(), url: z.string() }) },
    },
  }, async (request) => {
    const user = requireUser(request.user);
    const a = await loadAttemptFor(app.db, user, request.params.attemptId, 'owner-or-staff');
    const cookie = request.cookies[SESSION_COOKIE];
    return mintTerminalToken(config.terminalSecret, a, user, request.body, Date.now(), cookie ? sessionIdOf(cookie) : undefined);
  });

  app.get('/api/attempts/:attemptId/result', {
    config: { access: 'user' },
    schema: { tags: ['attempts'], summary: 'The graded result: points, reasons, explanations (and solutions when the test shows them); 409 ATTEMPT_NOT_GRADED for any attempt not graded (cancelled, failed, unfinished)', params: attemptId, response: { 200: resultSchema } },
  }, async (request) => {
    const user = requireUser(request.user);
    return toResultView(app.db, await loadAttemptFor(app.db, user, request.params.attemptId, 'owner-or-staff'), user, readerLanguage(request));
  });

  app.put('/api/attempts/:attemptId/notes', {
    config: { access: 'user' },
    schema: {
      tags: ['attempts'],
      summary: "The learner's notepad for this attempt (plain text, replaced whole)",
      params: attemptId,
      body: z.object({ notes: text({ max: MAX_NOTES, multiline: true }) }),
      response: { 200: z.object({ notes: z.string(), savedAt: z.date() }) },
    },
  }, async (request) => {
    const a = await loadAttemptFor(app.db, requireUser(request.user), request.params.attemptId, 'owner');
    return saveNotes(app.db, a, request.body.notes);
  });

  app.post('/api/attempts/:attemptId/questions/:position/give-up', {
    config: { access: 'user' },
    schema: {
      tags: ['attempts'],
      summary: 'Practice tests: show this question\'s solution now; the question then earns no points',
      params: questionParams,
      response: { 200: attemptViewSchema },
    },
  }, async (request) => {
    const user = requireUser(request.user);
    const a = await loadAttemptFor(app.db, user, request.params.attemptId, 'owner');
    await giveUpQuestion(app.db, a, request.params.position);
    return view(a.id, user, readerLanguage(request));
  });

  app.post('/api/attempts/:attemptId/questions/:position/time', {
    config: { access: 'user' },
    schema: {
      tags: ['attempts'],
      summary: 'Report seconds the question was open in the page (at most 120 per report; for the score report, never graded)',
      params: questionParams,
      body: z.object({ seconds: z.number().min(0).max(3600) }),
      response: { 200: z.object({ position: z.number(), secondsSpent: z.number() }) },
    },
  }, async (request) => {
    const a = await loadAttemptFor(app.db, requireUser(request.user), request.params.attemptId, 'owner');
    return recordTimeSpent(app.db, a, request.params.position, request.body.seconds);
  });

  app.post('/api/attempts/:attemptId/labs/:lab/reset', {
    config: { access: 'user' },
    schema: {
      tags: ['attempts'],
      summary: "Practice tests: replace a lab's machines with fresh ones (the clock runs on; open terminals close with 4409; once per 30 s per lab, else 429 RESET_TOO_SOON with `seconds`)",
      params: attemptId.extend({ lab: text({ min: 1, max: 63 }) }),
      response: { 200: attemptViewSchema },
    },
  }, async (request) => {
    const user = requireUser(request.user);
    const a = await loadAttemptFor(app.db, user, request.params.attemptId, 'owner');
    if (a.test.mode !== 'practice') throw new ApiError(403, 'RESET_NOT_ALLOWED', 'this is an exam: the lab cannot be reset');
    if (a.status !== 'active') throw new ApiError(409, 'ATTEMPT_NOT_ACTIVE', `the attempt is ${a.status}; only a running attempt's lab can be reset`);
    await app.attempts.runner.resetLab(a.id, request.params.lab);
    return view(a.id, user, readerLanguage(request));
  });
};

export default attemptsRoutes;


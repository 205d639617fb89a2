// Attempt statuses and the queue against real PostgreSQL (and Docker where a lab starts): a
// cancelled attempt is its own status, counts against the test's attempts and has no result (no
// solutions, expected answers or explanations, whoever asks); a learner holds at most
// PRAXIS_MAX_UNFINISHED_ATTEMPTS unfinished attempts; a test that could never fit the server's
// instances is refused, and a queued attempt that cannot start never blocks the others; an
// attempt whose deadline passed while the server was down ended at its deadline.
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { newInstanceId } from '@praxis/sandbox';
import { createDbClient, type AttemptStatus } from '@praxis/db';
import { signedInClient } from './api-helpers';
import { followEvents, setUpTest, useAttemptApp, waitFor } from './attempt-helpers';

const SCOPE = 'api-attempt-limits';
// One instance: a fake running attempt of another learner holds it, so new attempts queue.
const ctx = useAttemptApp(SCOPE, { PRAXIS_MAX_INSTANCES: '1' });

/** An attempt written straight into the database, with a made-up instance when it holds one. */
async function insertAttempt(app: FastifyInstance, o: { testId: string; userId: string; status: AttemptStatus; keys: { lab: string; key: string }[]; deadlineAt?: Date; createdAt?: Date }) {
  const test = await app.db.test.findUniqueOrThrow({ where: { id: o.testId } });
  const version = await app.db.bankVersion.findFirstOrThrow({ where: { bankId: test.bankId }, orderBy: { version: 'desc' } });
  const questions = await Promise.all(o.keys.map((k) => app.db.question.findFirstOrThrow({ where: { bankVersionId: version.id, lab: k.lab, key: k.key } })));
  const holds = ['provisioning', 'active', 'grading'].includes(o.status);
  return app.db.attempt.create({
    data: {
      testId: o.testId,
      userId: o.userId,
      bankVersionId: version.id,
      status: o.status,
      ...(o.createdAt ? { createdAt: o.createdAt } : {}),
      ...(o.deadlineAt ? { startedAt: new Date(o.deadlineAt.getTime() - 600_000), deadlineAt: o.deadlineAt } : {}),
      maxScore: questions.reduce((s, q) => s + q.points, 0),
      questions: { create: questions.map((q, i) => ({ position: i + 1, questionId: q.id, maxPoints: q.points })) },
      ...(holds ? { instances: { create: [...new Set(questions.map((q) => q.lab))].map((lab) => ({ lab, instanceId: newInstanceId() })) } } : {}),
    },
  });
}

const ROUTING = '01-switching-routing';

describe('attempt statuses and limits', () => {
  it('gives a cancelled attempt its own status, counts it, and shows no result of it to anyone', async () => {
    const { app } = ctx;
    const { testId, learner, instructor } = await setUpTest(app, { questions: ['list-interfaces', 'router-mac', 'route-on-a'], timeLimitSeconds: 600, slug: 'cancel' });
    expect((await instructor.patch(`/api/tests/${testId}`, { showSolutions: false, attemptsAllowed: 1 })).statusCode).toBe(200);
    const holder = await learner();
    const held = await insertAttempt(app, { testId, userId: holder.userId, status: 'active', keys: [{ lab: ROUTING, key: 'list-interfaces' }], deadlineAt: new Date(Date.now() + 3600_000) });

    const mallory = await learner();
    const started = (await mallory.post(`/api/tests/${testId}/attempts`)).json();
    expect(started).toMatchObject({ status: 'queued', queuePosition: 1 });
    const cancelled = await mallory.post(`/api/attempts/${started.id}/cancel`);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', queuePosition: null });
    expect((await followEvents(mallory, started.id)).map((e) => e.event)).toEqual(['cancelled']);

    const admin = await signedInClient(app, 'admin');
    for (const who of [mallory, instructor, admin]) {
      const result = await who.get(`/api/attempts/${started.id}/result`);
      expect(result.statusCode).toBe(409);
      expect(result.json()).toMatchObject({ code: 'ATTEMPT_NOT_GRADED', status: 409 });
      expect(result.json().detail).toMatch(/cancelled/);
      expect(result.json().questions).toBeUndefined();
      expect(result.body).not.toMatch(/Expected:|Correct:|02:42|ip route|explanation":/i);
    }
    // Submitting it gives nothing either.
    expect((await mallory.post(`/api/attempts/${started.id}/submit`)).json().code).toBe('ATTEMPT_NOT_GRADED');
    // It was her one attempt.
    expect((await mallory.post(`/api/tests/${testId}/attempts`)).json().code).toBe('ATTEMPTS_EXHAUSTED');
    expect((await mallory.get('/api/attempts')).json().attempts[0]).toMatchObject({ id: started.id, status: 'cancelled' });
    await app.db.attempt.update({ where: { id: held.id }, data: { status: 'graded' } });
  });

  it('lets one learner hold only PRAXIS_MAX_UNFINISHED_ATTEMPTS (default 1) unfinished attempts', async () => {
    const { app } = ctx;
    const first = await setUpTest(app, { questions: ['list-interfaces'], timeLimitSeconds: 600, slug: 'cap-a' });
    const second = await setUpTest(app, { questions: ['router-mac'], timeLimitSeconds: 600, slug: 'cap-b' });
    const holder = await first.learner();
    const held = await insertAttempt(app, { testId: first.testId, userId: holder.userId, status: 'active', keys: [{ lab: ROUTING, key: 'list-interfaces' }], deadlineAt: new Date(Date.now() + 3600_000) });

    const greedy = await first.learner();
    await greedy.post('/api/cohorts/join', { code: (await app.db.cohort.findUniqueOrThrow({ where: { id: second.cohortId } })).inviteCode });
    // Two starts at once, on two tests: one is queued, the other refused.
    const both = await Promise.all([greedy.post(`/api/tests/${first.testId}/attempts`), greedy.post(`/api/tests/${second.testId}/attempts`)]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([202, 409]);
    const refused = both.find((r) => r.statusCode === 409)!.json();
    const queued = both.find((r) => r.statusCode === 202)!.json();
    expect(refused).toMatchObject({ code: 'UNFINISHED_ATTEMPTS_LIMIT', attemptIds: [queued.id] });
    expect(refused.detail).toMatch(/allows 1 at a time/);
    expect(await app.db.attempt.count({ where: { userId: greedy.userId, status: { in: ['queued', 'provisioning', 'active', 'grading'] } } })).toBe(1);
    // Leaving the queue frees the slot.
    await greedy.post(`/api/attempts/${queued.id}/cancel`);
    const other = queued.testId === first.testId ? second.testId : first.testId;
    expect((await greedy.post(`/api/tests/${other}/attempts`)).statusCode).toBe(202);
    const mine = (await greedy.get('/api/attempts')).json().attempts.find((a: { status: string }) => a.status === 'queued');
    await greedy.post(`/api/attempts/${mine.id}/cancel`);
    await app.db.attempt.update({ where: { id: held.id }, data: { status: 'graded' } });
  });

  it('refuses a test that could never fit, and never lets a queued attempt that cannot start block the queue', async () => {
    const { app } = ctx;
    const { testId, learner, instructor } = await setUpTest(app, { questions: ['list-interfaces'], timeLimitSeconds: 600, slug: 'fit' });
    const all = (await instructor.post('/api/banks/import', { slug: 'fit-all', path: '.' })).json().bankId as string;
    const twoLabs = await instructor.post('/api/tests', { title: 'Two labs', bankId: all, timeLimitSeconds: 600, selection: { mode: 'fixed', questions: [`${ROUTING}/list-interfaces`, '02-dns/hosts-trusted'] } });
    expect(twoLabs.statusCode, twoLabs.body).toBe(422);
    expect(twoLabs.json()).toMatchObject({ code: 'TEST_EXCEEDS_CAPACITY' });
    expect(twoLabs.json().detail).toMatch(/can need 2 lab instances at once .* at most 1/);
    const draw = await instructor.post('/api/tests', { title: 'Any two', bankId: all, timeLimitSeconds: 600, selection: { mode: 'draw', pools: [{ labs: [ROUTING, '02-dns'], count: 2 }] } });
    expect(draw.json().code).toBe('TEST_EXCEEDS_CAPACITY');
    // A draw of one question touches one lab, whichever it is.
    expect((await instructor.post('/api/tests', { title: 'Any one', bankId: all, timeLimitSeconds: 600, selection: { mode: 'draw', pools: [{ labs: [ROUTING, '02-dns'], count: 1 }] } })).statusCode).toBe(201);

    // An attempt that needs two instances at the head of the queue (queued when the limit was
    // higher), a normal one behind it: the first fails with a reason, the second starts.
    const stuck = await learner();
    const otherTest = await app.db.test.create({ data: { title: 'Old two-lab test', bankId: all, timeLimitSeconds: 600, selection: { mode: 'fixed', questions: [`${ROUTING}/list-interfaces`, '02-dns/hosts-trusted'] }, open: true } });
    const head = await insertAttempt(app, { testId: otherTest.id, userId: stuck.userId, status: 'queued', keys: [{ lab: ROUTING, key: 'list-interfaces' }, { lab: '02-dns', key: 'hosts-trusted' }], createdAt: new Date(Date.now() - 60_000) });
    const next = await learner();
    const behind = (await next.post(`/api/tests/${testId}/attempts`)).json();
    const events = await followEvents(next, behind.id);
    expect(events.at(-1), JSON.stringify(events)).toMatchObject({ event: 'ready' });
    const failed = await app.db.attempt.findUniqueOrThrow({ where: { id: head.id } });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/needs 2 lab instances at once and the server runs at most 1/);
    await next.post(`/api/attempts/${behind.id}/submit`);
  });

  it('records an attempt whose deadline passed while the server was down as ended at its deadline', async () => {
    const { testId, learner } = await setUpTest(ctx.app, { questions: ['list-interfaces'], timeLimitSeconds: 600, slug: 'late' });
    const late = await learner();
    await ctx.app.close();
    // Written while no server runs, its deadline already 90 s gone: the next start ends it.
    const db = createDbClient(ctx.database.url);
    const deadlineAt = new Date(Date.now() - 90_000);
    const attempt = await insertAttempt({ db } as FastifyInstance, { testId, userId: late.userId, status: 'active', keys: [{ lab: ROUTING, key: 'list-interfaces' }], deadlineAt });
    await db.$disconnect();
    const app = await ctx.restart();
    ctx.app = app;
    const graded = await waitFor('the catch-up grading', async () => {
      const a = await app.db.attempt.findUniqueOrThrow({ where: { id: attempt.id } });
      return a.status === 'graded' ? a : undefined;
    }, 30_000);
    expect(graded.endReason).toBe('deadline');
    expect(graded.submittedAt).toEqual(deadlineAt);
  });
});

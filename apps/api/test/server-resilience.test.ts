// The server under a failing database, against a real PostgreSQL made to fail on purpose: a
// database error in the deadline sweep's background work is logged and retried, never an
// unhandled rejection that would end the process; static files, /healthz and /metrics answer
// without a session lookup, so they keep working while the sessions table does not.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newInstanceId } from '@praxis/sandbox';
import { signedInClient, useTestApp } from './api-helpers';
import { setUpTest, waitFor } from './attempt-helpers';

let web: string;
beforeAll(async () => {
  web = await mkdtemp(path.join(os.tmpdir(), 'praxis-web-'));
  await writeFile(path.join(web, 'index.html'), '<!doctype html><title>Praxis</title>');
});
afterAll(async () => {
  await rm(web, { recursive: true, force: true });
});
const ctx = useTestApp('api-resilience', {}, undefined, () => ({ webRoot: web }));

describe('a failing database', () => {
  it('never ends the process from a sweep: the error is logged and the attempt is ended once the database is back', async () => {
    const { app } = ctx;
    const { testId, learner } = await setUpTest(app, { questions: ['list-interfaces'], timeLimitSeconds: 600, slug: 'resilience' });
    const alice = await learner();
    const version = await app.db.bankVersion.findFirstOrThrow({ where: { bank: { slug: 'resilience' } } });
    const question = await app.db.question.findFirstOrThrow({ where: { bankVersionId: version.id, key: 'list-interfaces' } });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      // Every change to an attempt fails from now on, as if the database refused writes.
      await app.db.$executeRawUnsafe(`CREATE FUNCTION praxis_test_refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'forced failure for the test'; END $$ LANGUAGE plpgsql`);
      await app.db.$executeRawUnsafe(`CREATE TRIGGER praxis_test_refuse BEFORE UPDATE ON attempts FOR EACH ROW EXECUTE FUNCTION praxis_test_refuse()`);
      // An attempt past its deadline: the sweep (every 0.5 s) tries to end it and fails each time.
      const attempt = await app.db.attempt.create({
        data: {
          testId, userId: alice.userId, bankVersionId: version.id, status: 'active', maxScore: question.points,
          startedAt: new Date(Date.now() - 120_000), deadlineAt: new Date(Date.now() - 60_000),
          questions: { create: [{ position: 1, questionId: question.id, maxPoints: question.points }] },
          instances: { create: [{ lab: '01-switching-routing', instanceId: newInstanceId() }] },
        },
      });
      await new Promise((r) => setTimeout(r, 2500));
      expect(unhandled).toEqual([]);
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBeLessThan(500);
      expect((await app.db.attempt.findUniqueOrThrow({ where: { id: attempt.id } })).status).toBe('active');
      // The database is back: the next sweep ends the attempt at its deadline.
      await app.db.$executeRawUnsafe('DROP TRIGGER praxis_test_refuse ON attempts');
      const ended = await waitFor('the attempt to be graded', async () => {
        const a = await app.db.attempt.findUniqueOrThrow({ where: { id: attempt.id } });
        return a.status === 'graded' ? a : undefined;
      }, 30_000);
      expect(ended.submittedAt).toEqual(attempt.deadlineAt);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await app.db.$executeRawUnsafe('DROP TRIGGER IF EXISTS praxis_test_refuse ON attempts');
    }
  });

  it('serves static files, /healthz and /metrics without looking up the session', async () => {
    const { app } = ctx;
    const client = await signedInClient(app, 'learner');
    // Sessions cannot be read any more: only a route that needs the user notices.
    await app.db.$executeRawUnsafe('ALTER TABLE sessions RENAME TO sessions_away');
    try {
      const cookie = { praxis_session: client.cookies.get('praxis_session')! };
      for (const url of ['/', '/index.html', '/healthz', '/metrics', '/api/auth/csrf', '/api/docs/json']) {
        const res = await app.inject({ method: 'GET', url, cookies: cookie });
        expect(res.statusCode, `${url}: ${res.body.slice(0, 120)}`).toBeLessThan(300);
      }
      expect((await app.inject({ method: 'GET', url: '/api/auth/me', cookies: cookie })).statusCode).toBe(500);
    } finally {
      await app.db.$executeRawUnsafe('ALTER TABLE sessions_away RENAME TO sessions');
    }
    expect((await client.get('/api/auth/me')).statusCode).toBe(200);
  });
});

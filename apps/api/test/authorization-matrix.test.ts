// Walks every registered route with every role and with no session, and checks that the answer
// matches the route's declared access: 401 without a session, 403 for a role not listed, neither
// for a role that is (a 400/404 from placeholder ids is fine), and never a 5xx. Then ownership:
// every route that names a bank, test, cohort, attempt or run, called with real ids by an
// instructor who does not manage them (404, as if they did not exist), by a co-instructor and by
// an admin (both let in; only the owner or an admin names co-instructors).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Role } from '@praxis/db';
import { newInstanceId } from '@praxis/sandbox';
import { Client, signedInClient, useTestApp } from './api-helpers';

// Routes that authenticate with their own credential instead of the session, and why.
const SELF_AUTHENTICATED = new Map([['/api/terminal/:instanceId/:node', 'WebSocket checked by a signed terminal token']]);

const ctx = useTestApp('api-authz');

describe('authorization matrix', () => {
  it('every API route declares who may call it', () => {
    const undeclared = ctx.app.routeAccess.filter((r) => r.access === 'undeclared' && !SELF_AUTHENTICATED.has(r.url) && !r.url.startsWith('/api/dev/'));
    expect(undeclared).toEqual([]);
    expect(ctx.app.routeAccess.filter((r) => r.url.startsWith('/api/') && r.access !== 'undeclared').length).toBeGreaterThan(5);
  });

  it('answers every route, for every role and for no session, as declared', async () => {
    const roles: Role[] = ['learner', 'instructor', 'admin'];
    const clients: [Role | 'anonymous', Client][] = [['anonymous', new Client(ctx.app)]];
    for (const role of roles) clients.push([role, await signedInClient(ctx.app, role)]);
    const routes = ctx.app.routeAccess
      .filter((r) => !r.websocket && r.access !== 'undeclared')
      // Signing out would end the session the rest of the walk uses.
      .sort((a, b) => Number(a.url === '/api/auth/sign-out') - Number(b.url === '/api/auth/sign-out'));
    const failures: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const url = route.url.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000').replace('*', 'x');
      for (const [who, client] of clients) {
        const res = await client.request(route.method as 'GET', url, route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
        checked += 1;
        const status = res.statusCode;
        let expected: string;
        let ok: boolean;
        if (route.access === 'public') {
          expected = 'not 401/403';
          ok = status !== 401 && status !== 403;
        } else if (who === 'anonymous') {
          expected = '401';
          ok = status === 401;
        } else if (route.access === 'user' || route.access.includes(who)) {
          expected = 'not 401/403';
          ok = status !== 401 && status !== 403;
        } else {
          expected = '403';
          ok = status === 403;
        }
        if (status >= 500) ok = false;
        if (!ok) failures.push(`${route.method} ${route.url} as ${who}: got ${status}, expected ${expected} (${res.body.slice(0, 120)})`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(20);
  });

  it('answers malformed input on every route with a 4xx, never a 5xx', async () => {
    const admin = await signedInClient(ctx.app, 'admin');
    const bodies = ['[]', '"text"', 'null', '{"unterminated": ', JSON.stringify({ a: Array(50).fill({ b: [1, 'x', null] }) }), '{"answer": {"$ne": 1}, "role": "root", "path": "/etc"}'];
    const ids = ['x'.repeat(300), '%00', '..%2F..%2Fetc', '-1', '1e999'];
    const failures: string[] = [];
    const routes = ctx.app.routeAccess.filter((r) => !r.websocket && r.access !== 'undeclared' && r.url !== '/api/auth/sign-out');
    for (const route of routes) {
      for (const [i, id] of ids.entries()) {
        const url = route.url.replace(/:[A-Za-z]+/g, id);
        const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : bodies[i % bodies.length];
        const res = await admin.request(route.method as 'POST', url, body, body === undefined ? {} : { 'content-type': 'application/json' });
        if (res.statusCode >= 500) failures.push(`${route.method} ${url}: ${res.statusCode} ${res.body.slice(0, 160)}`);
        else if (res.statusCode >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json')) failures.push(`${route.method} ${url}: ${res.statusCode} without problem+json`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('keeps banks, tests, cohorts and learners\' attempts to their owner, co-instructors and admins', async () => {
    const { app } = ctx;
    const owner = await signedInClient(app, 'instructor', 'owner');
    const stranger = await signedInClient(app, 'instructor', 'stranger');
    const co = await signedInClient(app, 'instructor', 'co');
    const admin = await signedInClient(app, 'admin', 'admin');
    const learner = await signedInClient(app, 'learner', 'learner');

    const bankId = (await owner.post('/api/banks/import', { slug: 'owned', path: '01-switching-routing' })).json().bankId as string;
    const test = await owner.post('/api/tests', { title: 'Owned', bankId, lab: '01-switching-routing', timeLimitSeconds: 600, selection: { mode: 'fixed', questions: ['list-interfaces'] } });
    expect(test.statusCode, test.body).toBe(201);
    const testId = test.json().id as string;
    const cohort = (await owner.post('/api/cohorts', { name: 'Owned class' })).json();
    await owner.put(`/api/cohorts/${cohort.id}/tests/${testId}`, {});
    await learner.post('/api/cohorts/join', { code: cohort.inviteCode });
    // A graded attempt of the learner, written directly (grading is not what is tested here).
    const question = await app.db.question.findFirstOrThrow({ where: { bankVersion: { bankId }, key: 'list-interfaces' } });
    const attempt = await app.db.attempt.create({
      data: {
        testId, userId: learner.userId, bankVersionId: question.bankVersionId, status: 'graded', score: 1, maxScore: 1, startedAt: new Date(), submittedAt: new Date(), gradedAt: new Date(), endReason: 'submitted',
        questions: { create: [{ position: 1, questionId: question.id, maxPoints: 1, points: 1, passed: true, reason: '', output: 'grader output' }] },
        instances: { create: [{ lab: '01-switching-routing', instanceId: newInstanceId() }] },
      },
    });
    for (const kind of [`banks/${bankId}`, `tests/${testId}`, `cohorts/${cohort.id}`]) {
      expect((await owner.put(`/api/${kind}/instructors`, { emails: [co.email] })).json()).toEqual({ instructors: [{ userId: co.userId, name: 'co', email: co.email }] });
    }

    const ids: Record<string, string> = { bankId, version: '1', testId, cohortId: cohort.id, attemptId: attempt.id, userId: learner.userId, runId: randomUUID(), instanceId: 'i', file: 'a-2026-01-01T00-00-00-000Z.cast' };
    const NOT_FOUND = new Set(['BANK_NOT_FOUND', 'TEST_NOT_FOUND', 'COHORT_NOT_FOUND', 'ATTEMPT_NOT_FOUND', 'AUTHORING_TEST_NOT_FOUND', 'BANK_VERSION_NOT_FOUND']);
    const bodies: Record<string, unknown> = {
      'PATCH /api/tests/:testId': { title: 'Renamed' },
      'PUT /api/cohorts/:cohortId/tests/:testId': {},
      'POST /api/banks/:bankId/versions/:version/authoring-tests': { lab: 'no-such-lab' },
      'POST /api/attempts/:attemptId/terminal-token': { node: 'a' },
      'PUT /api/attempts/:attemptId/answers/:position': { answer: ['a'] },
      'PUT /api/attempts/:attemptId/questions/:position/flag': { flagged: true },
      'PUT /api/attempts/:attemptId/notes': { notes: 'x' },
      'POST /api/attempts/:attemptId/questions/:position/time': { seconds: 1 },
    };
    // Actions of the attempt's learner alone: staff who supervise it are told so (403).
    const LEARNER_ONLY = /\/(answers|flag|check|cancel|submit|notes|give-up|time|reset)/;
    const routes = app.routeAccess
      .filter((r) => !r.websocket && /:(bankId|testId|cohortId|attemptId|runId)\b/.test(r.url))
      // Starting an attempt is anyone's who may see the test; removing the member goes last.
      .filter((r) => !(r.method === 'POST' && r.url === '/api/tests/:testId/attempts'))
      .sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    const failures: string[] = [];
    for (const route of routes) {
      const url = route.url.replace(':position', '1').replace(/:([A-Za-z]+)/g, (_m, name: string) => ids[name] ?? 'x');
      const key = `${route.method} ${route.url}`;
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : (bodies[key] ?? (route.url.endsWith('/instructors') ? { emails: [co.email] } : {}));
      for (const [who, client] of [['stranger', stranger], ['co-instructor', co], ['admin', admin]] as const) {
        const res = await client.request(route.method as 'GET', url, body);
        const code = res.statusCode >= 400 ? (res.json().code as string) : '';
        let ok: boolean;
        if (who === 'stranger') ok = res.statusCode === 404 && NOT_FOUND.has(code);
        else if (route.url.endsWith('/instructors') && who === 'co-instructor') ok = code === 'OWNER_ONLY';
        else if (LEARNER_ONLY.test(route.url)) ok = code === 'ATTEMPT_NOT_YOURS';
        else if (route.url.includes(':runId') || route.url.includes(':file')) ok = res.statusCode === 404; // no such run or recording, for anyone
        else ok = res.statusCode < 500 && !NOT_FOUND.has(code) && res.statusCode !== 403;
        if (!ok) failures.push(`${key} as ${who}: ${res.statusCode} ${res.body.slice(0, 140)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(routes.length).toBeGreaterThan(20);

    // The lists show each instructor their own only.
    expect((await stranger.get('/api/banks')).json().banks).toEqual([]);
    expect((await stranger.get('/api/cohorts')).json().cohorts).toEqual([]);
    expect((await stranger.get('/api/tests')).json().tests).toEqual([]);
    expect((await co.get('/api/banks')).json().banks.map((b: { id: string }) => b.id)).toEqual([bankId]);
    expect((await co.get('/api/tests')).json().tests).toMatchObject([{ id: testId, canManage: true, owner: { userId: owner.userId } }]);
    // An instructor cannot take over another's bank by importing to its slug.
    expect((await stranger.post('/api/banks/import', { slug: 'owned', path: '01-switching-routing' })).json().code).toBe('BANK_SLUG_TAKEN');
    // Only instructor accounts can be named.
    expect((await owner.put(`/api/cohorts/${cohort.id}/instructors`, { emails: [learner.email] })).json()).toMatchObject({ code: 'INSTRUCTOR_UNKNOWN', emails: [learner.email] });
  });
});


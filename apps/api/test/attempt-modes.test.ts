// The two modes of a test and what the exam view and the score report need, against real
// PostgreSQL and real Docker: practice (hints, Check, a task's solution once passed or given up,
// lab reset, notes, time per question) and exam (none of those before the result); the briefing
// before the clock, Korean lab texts, the result with options, earlier attempts and the cohort
// median; account language, the setup question, invite lookup and unassigning a test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execInNode, listInstances } from '@praxis/sandbox';
import { loadLab } from '@praxis/labs';
import { signedInClient, startTestApp, type Client, type TestContext } from './api-helpers';
import { followEvents, LAB_DIR, removeScopeInstances } from './attempt-helpers';

const SCOPE = 'api-attempt-modes';
let ctx: TestContext;
let instructor: Client;
let bankId: string;
let cohort: { id: string; inviteCode: string };

async function makeTest(mode: 'practice' | 'exam', questions: string[], extra: Record<string, unknown> = {}) {
  const created = await instructor.post('/api/tests', {
    title: `Routing ${mode}`,
    description: `A **${mode}** run.`,
    bankId,
    lab: '01-switching-routing',
    timeLimitSeconds: 900,
    attemptsAllowed: 3,
    mode,
    selection: { mode: 'fixed', questions },
    ...extra,
  });
  expect(created.statusCode, created.body).toBe(201);
  await instructor.put(`/api/cohorts/${cohort.id}/tests/${created.json().id}`, {});
  return created.json() as { id: string; mode: string; allowCheck: boolean };
}

async function learner() {
  const c = await signedInClient(ctx.app, 'learner');
  await c.post('/api/cohorts/join', { code: cohort.inviteCode });
  return c;
}

async function startAttempt(c: Client, testId: string, headers: Record<string, string> = {}) {
  const started = await c.post(`/api/tests/${testId}/attempts`, undefined, headers);
  expect(started.statusCode, started.body).toBe(202);
  expect((await followEvents(c, started.json().id)).at(-1)?.event).toBe('ready');
  return started.json().id as string;
}

beforeAll(async () => {
  ctx = await startTestApp(SCOPE);
  instructor = await signedInClient(ctx.app, 'instructor');
  const imported = await instructor.post('/api/banks/import', { slug: 'course', path: LAB_DIR });
  bankId = imported.json().bankId;
  cohort = (await instructor.post('/api/cohorts', { name: 'Class of 2026' })).json();
}, 120_000);

afterAll(async () => {
  if (ctx) await removeScopeInstances(ctx.app, SCOPE);
  await ctx?.close();
});

describe('practice and exam modes', () => {
  it('keeps mode and allowCheck in agreement, and refuses a contradiction', async () => {
    const t = await makeTest('exam', ['list-interfaces']);
    expect(t).toMatchObject({ mode: 'exam', allowCheck: false });
    const patched = await instructor.patch(`/api/tests/${t.id}`, { mode: 'practice' });
    expect(patched.json()).toMatchObject({ mode: 'practice', allowCheck: true });
    const legacy = await instructor.patch(`/api/tests/${t.id}`, { allowCheck: false });
    expect(legacy.json()).toMatchObject({ mode: 'exam', allowCheck: false });
    const both = await instructor.patch(`/api/tests/${t.id}`, { mode: 'exam', allowCheck: true });
    expect(both.statusCode).toBe(400);
  });

  it('practice: hints, Check, the solution once a task passed or after giving up (then no points), notes, time, reset', async () => {
    const t = await makeTest('practice', ['route-on-a', 'enable-forwarding', 'forwarding-file']);
    const lea = await learner();
    const attemptId = await startAttempt(lea, t.id);
    let view = (await lea.get(`/api/attempts/${attemptId}`)).json();
    expect(view.mode).toBe('practice');
    expect(view.questions[0]).toMatchObject({ hint: expect.stringMatching(/gateway/), nodes: ['a'], passedCheck: false, gaveUp: false });
    expect(view.questions[0].solution).toBeUndefined();
    expect(view.labs[0].hosts).toEqual([
      { node: 'a', hostname: 'host-a' },
      { node: 'b', hostname: 'host-b' },
      { node: 'c', hostname: 'host-c' },
    ]);
    expect(view.labs[0].intro).toContain('| A (`host-a`) | eth0 | 192.168.1.5/24');

    // A failing Check shows no solution; a passing one does.
    expect((await lea.post(`/api/attempts/${attemptId}/questions/1/check`)).json().passed).toBe(false);
    expect((await lea.get(`/api/attempts/${attemptId}`)).json().questions[0].solution).toBeUndefined();
    await execInNode(ctx.app.sandbox.docker, view.instanceId, 'a', ['sh', '-c', 'ip route replace 192.168.2.0/24 via 192.168.1.6']);
    expect((await lea.post(`/api/attempts/${attemptId}/questions/1/check`)).json().passed).toBe(true);
    view = (await lea.get(`/api/attempts/${attemptId}`)).json();
    expect(view.questions[0]).toMatchObject({ passedCheck: true, checks: 2, solution: '# on host-a\nip route replace 192.168.2.0/24 via 192.168.1.6' });

    // Giving up shows the solution of an answer question at once.
    const gaveUp = (await lea.post(`/api/attempts/${attemptId}/questions/3/give-up`)).json();
    expect(gaveUp.questions[2]).toMatchObject({ gaveUp: true, solution: '/proc/sys/net/ipv4/ip_forward', explanation: expect.any(String) });
    await lea.put(`/api/attempts/${attemptId}/answers/3`, { answer: '/proc/sys/net/ipv4/ip_forward' });

    // Notes and time on a question.
    expect((await lea.put(`/api/attempts/${attemptId}/notes`, { notes: 'B: eth0 .1.6, eth1 .2.6' })).json().notes).toBe('B: eth0 .1.6, eth1 .2.6');
    expect((await lea.post(`/api/attempts/${attemptId}/questions/1/time`, { seconds: 42.4 })).json().secondsSpent).toBe(42);
    expect((await lea.post(`/api/attempts/${attemptId}/questions/1/time`, { seconds: 900 })).json().secondsSpent).toBe(162);
    expect((await lea.get(`/api/attempts/${attemptId}`)).json().notes).toBe('B: eth0 .1.6, eth1 .2.6');

    // Reset: fresh machines under a new instance id, the old one gone, the route with it.
    const oldInstance = view.instanceId as string;
    const reset = await lea.post(`/api/attempts/${attemptId}/labs/01-switching-routing/reset`);
    expect(reset.statusCode, reset.body).toBe(200);
    const fresh = reset.json();
    expect(fresh.instanceId).not.toBe(oldInstance);
    expect(fresh.status).toBe('active');
    const ids = (await listInstances(ctx.app.sandbox.docker)).map((i) => i.id);
    expect(ids).toContain(fresh.instanceId);
    expect(ids).not.toContain(oldInstance);
    // A second reset right after is refused: machines are not churned on a shared host.
    const again = await lea.post(`/api/attempts/${attemptId}/labs/01-switching-routing/reset`);
    expect(again.statusCode).toBe(429);
    expect(again.json()).toMatchObject({ code: 'RESET_TOO_SOON', seconds: expect.any(Number) });
    const routes = await execInNode(ctx.app.sandbox.docker, fresh.instanceId, 'a', ['ip', 'route']);
    expect(routes.stdout).not.toContain('192.168.2.0/24');
    expect((await lea.post(`/api/attempts/${attemptId}/questions/1/check`)).json().passed).toBe(false);
    // The passed Check is history: its solution stays shown.
    expect((await lea.get(`/api/attempts/${attemptId}`)).json().questions[0].solution).toBeDefined();

    // Grading: the given-up question earns nothing although its answer is right.
    await execInNode(ctx.app.sandbox.docker, fresh.instanceId, 'b', ['sh', '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward']);
    const result = (await lea.post(`/api/attempts/${attemptId}/submit`)).json();
    expect(result.questions.map((q: { points: number }) => q.points)).toEqual([0, 2, 0]);
    expect(result.questions[2]).toMatchObject({ gaveUp: true, reason: expect.stringMatching(/^Solution shown during practice: no points/) });
    expect(result.questions[0]).toMatchObject({ checks: 3, secondsSpent: 162, key: '01-switching-routing/route-on-a', nodes: ['a'] });
  });

  it('exam: no hints, no Check, no solutions and no reset before the result; the result shows options, earlier attempts and the cohort median', async () => {
    const t = await makeTest('exam', ['list-interfaces', 'route-on-a']);
    const mia = await learner();
    const first = await startAttempt(mia, t.id);
    const view = (await mia.get(`/api/attempts/${first}`)).json();
    expect(view.mode).toBe('exam');
    expect(view.questions[1].hint).toBeUndefined();
    expect((await mia.post(`/api/attempts/${first}/questions/2/check`)).json().code).toBe('CHECK_NOT_ALLOWED');
    expect((await mia.post(`/api/attempts/${first}/questions/2/give-up`)).json().code).toBe('SOLUTION_NOT_ALLOWED');
    expect((await mia.post(`/api/attempts/${first}/labs/01-switching-routing/reset`)).json().code).toBe('RESET_NOT_ALLOWED');
    await mia.put(`/api/attempts/${first}/answers/1`, { answer: ['b'] });
    const r1 = (await mia.post(`/api/attempts/${first}/submit`)).json();
    expect(r1).toMatchObject({ title: 'Routing exam', mode: 'exam', previous: [], cohort: null });
    expect(r1.questions[0].options).toEqual([
      { id: 'a', text: '`ip link`', chosen: false, correct: true },
      { id: 'b', text: '`ip route`', chosen: true, correct: false },
      { id: 'c', text: '`arp -n`', chosen: false, correct: false },
      { id: 'd', text: '`cat /etc/hosts`', chosen: false, correct: false },
    ]);

    // Three other learners' graded attempts (written directly: their machines would add nothing
    // here), then Mia's second attempt compares with her first and with them.
    const shape = await ctx.app.db.attempt.findUniqueOrThrow({ where: { id: first }, include: { questions: { orderBy: { position: 'asc' } } } });
    for (const listPoints of [1, 1, 0]) {
      const other = await learner();
      const now = new Date();
      await ctx.app.db.attempt.create({
        data: {
          testId: t.id, userId: other.userId, bankVersionId: shape.bankVersionId, status: 'graded', endReason: 'submitted',
          score: listPoints, maxScore: shape.maxScore, startedAt: now, submittedAt: now, gradedAt: now,
          questions: { create: shape.questions.map((q) => ({ position: q.position, questionId: q.questionId, maxPoints: q.maxPoints, points: q.position === 1 ? listPoints : 0, passed: q.position === 1 && listPoints > 0, reason: '' })) },
        },
      });
    }
    const second = await startAttempt(mia, t.id);
    await mia.put(`/api/attempts/${second}/answers/1`, { answer: ['a'] });
    const r2 = (await mia.post(`/api/attempts/${second}/submit`)).json();
    expect(r2.previous).toEqual([expect.objectContaining({ id: first, score: 0, points: { '01-switching-routing/list-interfaces': 0, '01-switching-routing/route-on-a': 0 } })]);
    expect(r2.cohort).toEqual({ learners: 3, median: { '01-switching-routing/list-interfaces': 1, '01-switching-routing/route-on-a': 0 } });
    // Staff see whose result it is.
    expect((await instructor.get(`/api/attempts/${second}/result`)).json().learner).toMatchObject({ name: expect.any(String), email: expect.stringContaining('@') });
    expect(r2.learner).toBeUndefined();
  });

  it('briefs before the clock and shows the lab in Korean to a Korean reader, with the original as fallback', async () => {
    const t = await makeTest('practice', ['list-interfaces', 'router-mac', 'why-no-reply']);
    const ko = await learner();
    const briefing = (await ko.get(`/api/tests/${t.id}/briefing`, { 'accept-language': 'ko-KR,ko;q=0.9' })).json();
    expect(briefing).toMatchObject({ title: 'Routing practice', mode: 'practice', timeLimitSeconds: 900, questions: 3, points: 4, attemptsUsed: 0, runningAttemptId: null });
    expect(briefing.labs[0]).toMatchObject({ cluster: false, title: '스위칭과 라우팅', intro: expect.stringContaining('이 실습에서는 리눅스 호스트 세 대를 사용합니다') });
    // The account's language wins over the browser's.
    expect((await ko.patch('/api/auth/me', { locale: 'ko' })).json().user.locale).toBe('ko');
    const attemptId = await startAttempt(ko, t.id);
    const view = (await ko.get(`/api/attempts/${attemptId}`, { 'accept-language': 'en' })).json();
    expect(view.labs[0].title).toBe('스위칭과 라우팅');
    expect(view.questions[0].prompt).toContain('호스트의 네트워크 인터페이스를');
    expect(view.questions[0].options.map((o: { text: string }) => o.text)).toEqual(['`ip link`', '`ip route`', '`arp -n`', '`cat /etc/hosts`']);
    expect(view.questions[2].options[0].text).toContain('B가 인터페이스 사이에서 패킷을 전달하지 않습니다');
    expect(view.questions[0].title).toBe('호스트의 네트워크 인터페이스를 상태와 MAC 주소와 함께 나열하는 명령어는 무엇입니까?');
    expect((await ko.get(`/api/tests/${t.id}/briefing`)).json().runningAttemptId).toBe(attemptId);
    // The same attempt in English for an English reader (an instructor with no preference).
    const en = (await instructor.get(`/api/attempts/${attemptId}`, { 'accept-language': 'en-GB' })).json();
    expect(en.labs[0].title).toBe('Switching and routing');
    expect(en.learner).toMatchObject({ id: expect.any(String) });
    expect((await ko.patch('/api/auth/me', { locale: 'fr' })).statusCode).toBe(400);
  });

  it("gives a test that carries its lab's own title and summary (like the sample bank's) in the reader's language wherever a learner sees it, and keeps an instructor's own title", async () => {
    const loaded = await loadLab(LAB_DIR);
    if (!loaded.ok) throw new Error('lab 01 does not load');
    const lab = loaded.lab;
    const t = await makeTest('practice', ['list-interfaces'], { title: lab.title, description: lab.summary });
    const own = await makeTest('practice', ['list-interfaces']);
    const ko = await learner();
    const KO = { 'accept-language': 'ko' };
    const briefing = (await ko.get(`/api/tests/${t.id}/briefing`, KO)).json();
    expect(briefing.title).toBe('스위칭과 라우팅');
    expect(briefing.description).toBe(lab.translations!.ko!.summary);
    expect((await ko.get(`/api/tests/${t.id}/briefing`, { 'accept-language': 'en' })).json().title).toBe('Switching and routing');
    expect((await ko.get(`/api/tests/${own.id}/briefing`, KO)).json().title).toBe('Routing practice');
    // The same rule in the learner's lists (the home page) and in the test itself.
    const listed = (await ko.get('/api/tests', KO)).json().tests as { id: string; title: string; description: string }[];
    expect(listed.find((x) => x.id === t.id)).toMatchObject({ title: '스위칭과 라우팅', description: lab.translations!.ko!.summary });
    expect(listed.find((x) => x.id === own.id)).toMatchObject({ title: 'Routing practice', description: 'A **practice** run.' });
    expect((await ko.get(`/api/tests/${t.id}`, KO)).json().title).toBe('스위칭과 라우팅');
    const assigned = (await ko.get('/api/me/assignments', KO)).json().assignments as { testId: string; title: string }[];
    expect(assigned.filter((a) => [t.id, own.id].includes(a.testId)).map((a) => a.title).sort()).toEqual(['Routing practice', '스위칭과 라우팅']);
    // Its instructor reads (and edits) what was written, whatever their language.
    expect((await instructor.get('/api/tests', KO)).json().tests.find((x: { id: string }) => x.id === t.id).title).toBe(lab.title);
    // The attempt, the learner's list of attempts and the result carry the title too.
    const attemptId = await startAttempt(ko, t.id, KO);
    expect((await ko.get(`/api/attempts/${attemptId}`, KO)).json()).toMatchObject({ title: '스위칭과 라우팅', description: lab.translations!.ko!.summary });
    expect((await ko.get('/api/attempts', KO)).json().attempts.find((a: { id: string }) => a.id === attemptId).title).toBe('스위칭과 라우팅');
    expect((await ko.post(`/api/attempts/${attemptId}/submit`, undefined, KO)).json().title).toBe('스위칭과 라우팅');
  });
});

describe('accounts and cohorts for the web app', () => {
  it('says whether the first sign-up creates the administrator', async () => {
    expect((await (await signedInClient(ctx.app, 'learner')).get('/api/auth/setup')).json()).toEqual({ firstSignUpIsAdmin: false });
  });

  it('names the cohort of an invite code, before signing in too', async () => {
    const anonymous = ctx.app.inject({ method: 'GET', url: `/api/cohorts/invite/${cohort.inviteCode}` });
    expect((await anonymous).json()).toEqual({ name: 'Class of 2026' });
    const unknown = await ctx.app.inject({ method: 'GET', url: '/api/cohorts/invite/no-such-code' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('INVITE_UNKNOWN');
  });

  it('unassigns a test from a cohort', async () => {
    const t = await makeTest('exam', ['list-interfaces']);
    const removed = await instructor.delete(`/api/cohorts/${cohort.id}/tests/${t.id}`);
    expect(removed.statusCode).toBe(204);
    expect((await instructor.get(`/api/cohorts/${cohort.id}`)).json().assignments.map((a: { testId: string }) => a.testId)).not.toContain(t.id);
    expect((await instructor.delete(`/api/cohorts/${cohort.id}/tests/${t.id}`)).statusCode).toBe(404);
  });
});

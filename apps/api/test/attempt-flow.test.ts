// The whole attempt on the course's first lab against real PostgreSQL and real Docker: start,
// provisioning progress over SSE, answers, a task check that fails then passes, submit, result,
// the instance destroyed; then an attempt whose deadline expires on its own.
import { describe, expect, it } from 'vitest';
import { execInNode, getInstance } from '@praxis/sandbox';
import { followEvents, setUpTest, useAttemptApp, waitFor } from './attempt-helpers';
import { TerminalTestClient } from './terminal-helpers';

const SCOPE = 'api-attempt-flow';
const ctx = useAttemptApp(SCOPE);

describe('attempt flow', () => {
  it('starts, streams progress, answers, checks, submits and grades', async () => {
    const { testId, cohortId, learner, instructor } = await setUpTest(ctx.app, { questions: ['list-interfaces', 'router-mac', 'route-on-a'], timeLimitSeconds: 900 });
    const alice = await learner();
    const t0 = performance.now();
    const started = await alice.post(`/api/tests/${testId}/attempts`);
    expect(started.statusCode).toBe(202);
    const attemptId = started.json().id as string;
    expect(['queued', 'provisioning']).toContain(started.json().status);

    const events = await followEvents(alice, attemptId);
    const readyMs = Math.round(performance.now() - t0);
    console.log(`attempt start to ready: ${readyMs} ms (provisioning ${events.at(-1)?.data.provisionMs} ms); events: ${events.map((e) => e.event).join(' ')}`);
    expect(events.at(-1), JSON.stringify(events.at(-1))).toMatchObject({ event: 'ready' });

    const view = (await alice.get(`/api/attempts/${attemptId}`)).json();
    expect(view).toMatchObject({ status: 'active', nodes: ['a', 'b', 'c'], queuePosition: null });
    expect(view.remainingSeconds).toBeGreaterThan(890);
    expect(JSON.stringify(view.questions)).not.toMatch(/correct|02:42:c0:a8:01:06/i);
    expect(view.questions.map((q: { kind: string }) => q.kind)).toEqual(['choice', 'answer', 'task']);

    // Another learner can neither see nor change it.
    const mallory = await learner();
    expect((await mallory.get(`/api/attempts/${attemptId}`)).statusCode).toBe(404);
    expect((await mallory.put(`/api/attempts/${attemptId}/answers/1`, { answer: ['a'] })).statusCode).toBe(404);

    // The terminal: Alice gets a write token for a node of her attempt, staff a read-only one.
    const minted = await alice.post(`/api/attempts/${attemptId}/terminal-token`, { node: 'a' });
    expect(minted.json()).toMatchObject({ mode: 'write', url: expect.stringContaining(`/api/terminal/${view.instanceId}/a?token=`) });
    expect((await instructor.post(`/api/attempts/${attemptId}/terminal-token`, { node: 'b' })).json().mode).toBe('read');
    expect((await mallory.post(`/api/attempts/${attemptId}/terminal-token`, { node: 'a' })).statusCode).toBe(404);
    expect((await alice.post(`/api/attempts/${attemptId}/terminal-token`, { node: 'zz' })).json().code).toBe('NODE_NOT_FOUND');
    await ctx.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (ctx.app.server.address() as { port: number }).port;
    const term = await TerminalTestClient.connect(`ws://127.0.0.1:${port}${minted.json().url}`);
    term.send('hostname\n');
    await term.waitFor('host-a');
    await term.close();

    expect((await alice.put(`/api/attempts/${attemptId}/answers/1`, { answer: ['zz'] })).json().code).toBe('OPTION_UNKNOWN');
    expect((await alice.put(`/api/attempts/${attemptId}/answers/1`, { answer: ['a'] })).statusCode).toBe(200);
    expect((await alice.put(`/api/attempts/${attemptId}/answers/2`, { answer: '02:42:C0:A8:01:06' })).statusCode).toBe(200);
    expect((await alice.put(`/api/attempts/${attemptId}/answers/3`, { answer: 'x' })).json().code).toBe('ANSWER_NOT_EXPECTED');

    const before = await alice.post(`/api/attempts/${attemptId}/questions/3/check`);
    expect(before.json()).toMatchObject({ passed: false, reason: expect.stringMatching(/no route/) });
    const solved = await execInNode(ctx.app.sandbox.docker, view.instanceId, 'a', ['sh', '-c', 'ip route replace 192.168.2.0/24 via 192.168.1.6']);
    expect(solved.exitCode).toBe(0);
    expect((await alice.post(`/api/attempts/${attemptId}/questions/3/check`)).json()).toMatchObject({ passed: true, reason: '' });

    // A double click: both submits get the one graded result.
    const [submitted, twice] = await Promise.all([alice.post(`/api/attempts/${attemptId}/submit`), alice.post(`/api/attempts/${attemptId}/submit`)]);
    expect(submitted.statusCode).toBe(200);
    expect(twice.json()).toEqual(submitted.json());
    const result = submitted.json();
    expect(result).toMatchObject({ status: 'graded', endReason: 'submitted', score: 4, maxScore: 4 });
    expect(result.questions.every((q: { passed: boolean; explanation: string; solution: string }) => q.passed && q.explanation && q.solution)).toBe(true);
    expect(result.questions[0].output).toBeUndefined();
    expect(await getInstance(ctx.app.sandbox.docker, view.instanceId)).toBeUndefined();
    expect((await alice.put(`/api/attempts/${attemptId}/answers/1`, { answer: ['b'] })).statusCode).toBe(409);
    // Staff see the raw grader output.
    expect((await instructor.get(`/api/attempts/${attemptId}/result`)).json().questions[2].output).toMatch(/exit 0/);

    // The cohort's dashboard and CSV: Alice finished with full marks, Mallory has not started.
    const dashboard = (await instructor.get(`/api/cohorts/${cohortId}/dashboard`)).json();
    const t = dashboard.tests[0];
    expect(t.counts).toEqual({ learners: 2, notStarted: 1, inProgress: 0, finished: 1 });
    expect(t.learners.find((l: { email: string }) => l.email === alice.email)).toMatchObject({ state: 'finished', bestScore: 4, percent: 100 });
    expect(t.questions.map((q: { passRate: number }) => q.passRate)).toEqual([100, 100, 100]);
    expect(t.distribution[9].learners).toBe(1);
    const csv = await instructor.get(`/api/cohorts/${cohortId}/results.csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('cohort,test,learner,email,state,attempts,score,max_score,percent,minutes_spent,submitted_at,end_reason');
    expect(lines.find((l) => l.includes(alice.email))).toMatch(/,finished,1,4,4,100,/);
    expect((await alice.get(`/api/cohorts/${cohortId}/dashboard`)).statusCode).toBe(403);
  });

  it('ends the attempt on its own when the deadline passes, grading what was saved', async () => {
    const { testId, learner } = await setUpTest(ctx.app, { questions: ['list-interfaces', 'route-on-a'], timeLimitSeconds: 6, slug: 'deadline' });
    const bob = await learner();
    const attemptId = (await bob.post(`/api/tests/${testId}/attempts`)).json().id as string;
    expect((await followEvents(bob, attemptId)).at(-1)!.event).toBe('ready');
    expect((await bob.put(`/api/attempts/${attemptId}/answers/1`, { answer: ['a'] })).statusCode).toBe(200);
    const graded = await waitFor('deadline grading', async () => {
      const a = await ctx.app.db.attempt.findUniqueOrThrow({ where: { id: attemptId } });
      return a.status === 'graded' ? a : undefined;
    }, 30_000);
    const lagMs = graded.submittedAt!.getTime() - graded.deadlineAt!.getTime();
    console.log(`deadline enforced ${lagMs} ms after it passed; graded ${graded.gradedAt!.getTime() - graded.deadlineAt!.getTime()} ms after`);
    expect(graded.endReason).toBe('deadline');
    expect(lagMs).toBeGreaterThanOrEqual(0);
    expect(lagMs).toBeLessThan(1500);
    expect(graded.score).toBe(1);
    const late = await bob.put(`/api/attempts/${attemptId}/answers/1`, { answer: ['b'] });
    expect(late.statusCode).toBe(409);
    const result = (await bob.get(`/api/attempts/${attemptId}/result`)).json();
    expect(result.questions.map((q: { passed: boolean }) => q.passed)).toEqual([true, false]);
    expect(result.questions[1].reason).toMatch(/no route/);
  });
});

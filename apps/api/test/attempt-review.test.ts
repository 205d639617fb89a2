// What a learner and an instructor look back at, against real PostgreSQL and real Docker: flags
// for review and the last Check result kept on the server (they survive a reload), question
// titles, the admin capacity view, and replay of a finished attempt's terminal recordings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execInNode } from '@praxis/sandbox';
import { signedInClient, startTestApp, type Client, type TestContext } from './api-helpers';
import { followEvents, removeScopeInstances, setUpTest, waitFor } from './attempt-helpers';
import { TerminalTestClient } from './terminal-helpers';

const SCOPE = 'api-attempt-review';
let ctx: TestContext;
let alice: Client;
let mallory: Client;
let instructor: Client;
let attemptId: string;

beforeAll(async () => {
  ctx = await startTestApp(SCOPE);
  const setup = await setUpTest(ctx.app, { questions: ['list-interfaces', 'router-mac', 'route-on-a'], timeLimitSeconds: 900 });
  instructor = setup.instructor;
  alice = await setup.learner();
  mallory = await setup.learner();
  const started = await alice.post(`/api/tests/${setup.testId}/attempts`);
  attemptId = started.json().id;
  expect((await followEvents(alice, attemptId)).at(-1)?.event).toBe('ready');
}, 120_000);

afterAll(async () => {
  if (ctx) await removeScopeInstances(ctx.app, SCOPE);
  await ctx?.close();
});

describe('attempt review', () => {
  it('keeps flags for review on the server, for the owner only', async () => {
    expect((await alice.put(`/api/attempts/${attemptId}/questions/2/flag`, { flagged: true })).json()).toEqual({ position: 2, flagged: true });
    const view = (await alice.get(`/api/attempts/${attemptId}`)).json();
    expect(view.questions.map((q: { flagged: boolean }) => q.flagged)).toEqual([false, true, false]);
    expect((await mallory.put(`/api/attempts/${attemptId}/questions/2/flag`, { flagged: false })).statusCode).toBe(404);
    expect((await instructor.put(`/api/attempts/${attemptId}/questions/2/flag`, { flagged: false })).statusCode).toBe(403);
    expect((await alice.put(`/api/attempts/${attemptId}/questions/9/flag`, { flagged: true })).json().code).toBe('QUESTION_NOT_FOUND');
    expect((await alice.put(`/api/attempts/${attemptId}/questions/2/flag`, { flagged: 'yes' })).statusCode).toBe(400);
    expect((await alice.put(`/api/attempts/${attemptId}/questions/2/flag`, { flagged: false })).json().flagged).toBe(false);
    expect((await alice.get(`/api/attempts/${attemptId}`)).json().questions[1].flagged).toBe(false);
    await alice.put(`/api/attempts/${attemptId}/questions/3/flag`, { flagged: true });
  });

  it('keeps the last Check result of a task in the attempt view', async () => {
    expect((await alice.get(`/api/attempts/${attemptId}`)).json().questions[2].lastCheck).toBeNull();
    const failed = (await alice.post(`/api/attempts/${attemptId}/questions/3/check`)).json();
    expect(failed).toMatchObject({ position: 3, passed: false, reason: expect.stringMatching(/no route/) });
    // A reload (a fresh read of the attempt) shows the same result and time.
    let q = (await alice.get(`/api/attempts/${attemptId}`)).json().questions[2];
    expect(q.lastCheck).toEqual({ passed: false, reason: failed.reason, at: failed.at });
    const view = (await alice.get(`/api/attempts/${attemptId}`)).json();
    expect((await execInNode(ctx.app.sandbox.docker, view.instanceId, 'a', ['sh', '-c', 'ip route replace 192.168.2.0/24 via 192.168.1.6'])).exitCode).toBe(0);
    const passed = (await alice.post(`/api/attempts/${attemptId}/questions/3/check`)).json();
    expect(passed).toMatchObject({ passed: true });
    q = (await alice.get(`/api/attempts/${attemptId}`)).json().questions[2];
    expect(q.lastCheck).toMatchObject({ passed: true, at: passed.at });
    expect(new Date(q.lastCheck.at).getTime()).toBeGreaterThan(new Date(failed.at).getTime());
    expect((await alice.get(`/api/attempts/${attemptId}`)).json().questions[0].lastCheck).toBeNull();
  });

  it('reports capacity as JSON to admins only', async () => {
    const admin = await signedInClient(ctx.app, 'admin');
    const res = await admin.get('/api/admin/capacity');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      activeInstances: 1,
      attemptInstances: 1,
      maxInstances: ctx.config.maxInstances,
      queueLength: 0,
      attemptsByStatus: { queued: 0, provisioning: 0, active: 1, grading: 0, graded: 0, failed: 0 },
      provisioning: { count: 1, meanSeconds: expect.any(Number) },
    });
    expect((await instructor.get('/api/admin/capacity')).statusCode).toBe(403);
    expect((await alice.get('/api/admin/capacity')).statusCode).toBe(403);
  });

  it('gives every question a plain-text title', async () => {
    const view = (await alice.get(`/api/attempts/${attemptId}`)).json();
    for (const q of view.questions as { title: string; prompt: string }[]) {
      expect(q.title.length).toBeGreaterThan(5);
      expect(q.title.length).toBeLessThanOrEqual(100);
      expect(q.title).not.toMatch(/[`*#\n]/);
    }
  });

  it('lets staff list and replay the recording of a real terminal session, and nobody else', async () => {
    await ctx.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (ctx.app.server.address() as { port: number }).port;
    const view = (await alice.get(`/api/attempts/${attemptId}`)).json();
    const minted = (await alice.post(`/api/attempts/${attemptId}/terminal-token`, { node: 'a' })).json();
    const term = await TerminalTestClient.connect(`ws://127.0.0.1:${port}${minted.url}`);
    term.send('echo replay-$((6*7))-marker\n');
    await term.waitFor('replay-42-marker');
    await term.close();

    const list = async (who: Client) => who.get(`/api/attempts/${attemptId}/recordings`);
    const listed = (await list(instructor)).json().recordings as { instanceId: string; lab: string; node: string; file: string; startedAt: string; bytes: number }[];
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ instanceId: view.instanceId, lab: '01-switching-routing', node: 'a', file: expect.stringMatching(/^a-.+\.cast$/) });
    const url = `/api/attempts/${attemptId}/recordings/${listed[0]!.instanceId}/${listed[0]!.file}`;
    // The recorder writes asynchronously: wait for the command's output to reach the file.
    const cast = await waitFor('the marker in the recording', async () => {
      const res = await instructor.get(url);
      return res.statusCode === 200 && res.body.includes('replay-42-marker') ? res : undefined;
    }, 10_000);
    expect(cast.headers['content-type']).toMatch(/^application\/x-asciicast/);
    const [header, ...events] = cast.body.trim().split('\n').map((line) => JSON.parse(line));
    expect(header).toMatchObject({ version: 2, width: expect.any(Number), height: expect.any(Number) });
    expect(events.every((e: unknown[]) => typeof e[0] === 'number' && typeof e[1] === 'string')).toBe(true);
    // The first screen (the prompt, printed as the shell attached) is part of the recording.
    const output = events.filter((e: unknown[]) => e[1] === 'o').map((e: unknown[]) => e[2]).join('');
    expect(output.indexOf('root@host-a')).toBeGreaterThanOrEqual(0);
    expect(output.indexOf('root@host-a')).toBeLessThan(output.indexOf('replay-42-marker'));

    // After the attempt ends (the instance is gone), the recording is still there to replay.
    expect((await alice.post(`/api/attempts/${attemptId}/submit`)).json().status).toBe('graded');
    expect((await alice.put(`/api/attempts/${attemptId}/questions/1/flag`, { flagged: true })).json().code).toBe('ATTEMPT_NOT_ACTIVE');
    expect((await list(instructor)).json().recordings).toHaveLength(1);
    expect((await instructor.get(url)).body).toContain('replay-42-marker');

    // Learners, even the attempt's own, get neither the list nor a file.
    expect((await list(alice)).statusCode).toBe(403);
    expect((await alice.get(url)).statusCode).toBe(403);
    expect((await mallory.get(url)).statusCode).toBe(403);
    // Names are checked strictly: no traversal, no other instance, no invented file.
    const base = `/api/attempts/${attemptId}/recordings`;
    expect((await instructor.get(`${base}/${view.instanceId}/..%2F..%2Fcsrf.key`)).statusCode).toBe(400);
    expect((await instructor.get(`${base}/${view.instanceId}/a-2020-01-01T00-00-00-000Z.cast`)).json().code).toBe('RECORDING_NOT_FOUND');
    expect((await instructor.get(`${base}/..%2F${view.instanceId}/${listed[0]!.file}`)).statusCode).toBe(404);
    expect((await instructor.get(`${base}/pxother00000/${listed[0]!.file}`)).statusCode).toBe(404);
  });
});

// Time up stops the learner: at the deadline the open terminal closes with 4408 and says why, the
// nodes are paused before grading starts, and grading reads the state of that moment (a loop the
// learner left running is frozen) while a server that was serving still answers the checks.
// Also: a terminal token ends with the sign-in session it was issued to.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CloseCode } from '@praxis/terminal-protocol';
import { signedInClient } from './api-helpers';
import { followEvents, useAttemptApp, waitFor } from './attempt-helpers';
import { TerminalTestClient, UpgradeRefused } from './terminal-helpers';

const SCOPE = 'api-attempt-freeze';
const FIXTURES = path.resolve(import.meta.dirname, 'fixtures');
// Banks are imported from inside PRAXIS_IMPORT_ROOT: here, this file's fixtures.
const ctx = useAttemptApp(SCOPE, { PRAXIS_IMPORT_ROOT: FIXTURES });
const FIXTURE = path.join(FIXTURES, 'freeze-lab');

async function setUpFreezeTest(timeLimitSeconds: number, slug: string) {
  const instructor = await signedInClient(ctx.app, 'instructor');
  const imported = await instructor.post('/api/banks/import', { slug, path: FIXTURE });
  if (imported.statusCode !== 201) throw new Error(`import failed: ${imported.body}`);
  const created = await instructor.post('/api/tests', {
    title: 'Freeze',
    bankId: imported.json().bankId,
    lab: 'freeze-lab',
    timeLimitSeconds,
    attemptsAllowed: 3,
    allowCheck: true,
    selection: { mode: 'fixed', questions: ['still', 'dns-answers'] },
  });
  if (created.statusCode !== 201) throw new Error(`test creation failed: ${created.body}`);
  const cohort = (await instructor.post('/api/cohorts', { name: slug })).json();
  await instructor.put(`/api/cohorts/${cohort.id}/tests/${created.json().id}`, {});
  const learner = await signedInClient(ctx.app, 'learner');
  await learner.post('/api/cohorts/join', { code: cohort.inviteCode });
  return { testId: created.json().id as string, learner };
}

async function serverPort(): Promise<number> {
  if (!ctx.app.server.listening) await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  return (ctx.app.server.address() as { port: number }).port;
}

describe('time up', () => {
  it('closes the terminal with 4408, pauses the nodes before grading and grades the frozen state', async () => {
    const { testId, learner } = await setUpFreezeTest(12, 'freeze');
    const attemptId = (await learner.post(`/api/tests/${testId}/attempts`)).json().id as string;
    expect((await followEvents(learner, attemptId)).at(-1)!.event).toBe('ready');
    const view = (await learner.get(`/api/attempts/${attemptId}`)).json();

    // The learner leaves a loop running in A, out of the shell's session, then keeps typing.
    const minted = (await learner.post(`/api/attempts/${attemptId}/terminal-token`, { node: 'a' })).json();
    const term = await TerminalTestClient.connect(`ws://127.0.0.1:${await serverPort()}${minted.url}`);
    term.send("setsid sh -c 'while :; do date +%s%N > /tmp/tick; sleep 0.05; done' </dev/null >/dev/null 2>&1 &\n");
    term.send('echo loop-started\n');
    await term.waitFor('loop-started\r\n');

    // Docker's events show when each node was paused and when graders ran.
    const watch = await watchEvents(view.instanceId);
    const closed = await term.closed;
    const closedAt = Date.now();
    expect(closed.code).toBe(CloseCode.timeUp);
    expect(closed.reason).toMatch(/time is up: your machines are frozen/);

    const graded = await waitFor('grading', async () => {
      const a = await ctx.app.db.attempt.findUniqueOrThrow({ where: { id: attemptId } });
      return a.status === 'graded' ? a : undefined;
    }, 60_000);
    const events = watch.stop();
    const pauses = events.filter((e) => e.Action === 'pause');
    expect(pauses.map((e) => e.Actor.Attributes['praxis.node']).sort()).toEqual(['a', 'dns']);
    const lastPause = Math.max(...pauses.map((e) => e.timeNano));
    expect(events.some((e) => e.Action === 'unpause')).toBe(false);
    // Checks start no exec (each grader's agent took them since the lab was ready), so Docker's
    // events do not show when grading began: the "still" check below does. It fails if the
    // learner's loop wrote its file while the check ran, i.e. if grading came before the pause.
    const deadline = graded.deadlineAt!.getTime();
    console.log(
      `deadline -> terminal closed ${closedAt - deadline} ms, -> last node paused ${Math.round(lastPause / 1e6) - deadline} ms, -> graded ${graded.gradedAt!.getTime() - deadline} ms`,
    );

    const result = (await learner.get(`/api/attempts/${attemptId}/result`)).json();
    expect(result.questions.map((q: { passed: boolean; reason: string }) => [q.passed, q.reason])).toEqual([
      [true, ''], // the loop did not move during grading
      [true, ''], // dnsmasq, serving when time ran out, still answered
    ]);
  });
});

describe('sign-out', () => {
  it('ends the terminal tokens of the session: open terminals close, the token no longer opens one', async () => {
    const { testId, learner } = await setUpFreezeTest(600, 'signout');
    const attemptId = (await learner.post(`/api/tests/${testId}/attempts`)).json().id as string;
    expect((await followEvents(learner, attemptId)).at(-1)!.event).toBe('ready');
    const minted = (await learner.post(`/api/attempts/${attemptId}/terminal-token`, { node: 'a' })).json();
    const url = `ws://127.0.0.1:${await serverPort()}${minted.url}`;
    const term = await TerminalTestClient.connect(url);
    term.send('echo before-sign-out\n');
    await term.waitFor('before-sign-out\r\n');

    expect((await learner.post('/api/auth/sign-out')).statusCode).toBe(204);
    const closed = await term.closed;
    expect(closed).toEqual({ code: CloseCode.notAuthenticated, reason: expect.stringMatching(/signed out/) });
    // The token has not expired, but its session has: the upgrade is refused.
    const error = await TerminalTestClient.connect(url).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UpgradeRefused);
    expect((error as UpgradeRefused).refusal.status).toBe(401);
    expect(JSON.parse((error as UpgradeRefused).refusal.body).code).toBe('TERMINAL_SESSION_ENDED');
  });
});

interface DockerEvent {
  Action: string;
  timeNano: number;
  Actor: { Attributes: Record<string, string> };
}

/** Collects Docker's events for the instance's containers from now until stop(). */
async function watchEvents(instanceId: string): Promise<{ stop(): DockerEvent[] }> {
  const stream = (await ctx.app.sandbox.docker.getEvents({
    filters: { type: ['container'], label: [`praxis.instance=${instanceId}`] },
  })) as NodeJS.ReadableStream & { destroy(): void };
  const events: DockerEvent[] = [];
  let buffer = '';
  stream.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const l of lines) if (l.trim()) events.push(JSON.parse(l) as DockerEvent);
  });
  return {
    stop() {
      stream.destroy();
      return events;
    },
  };
}

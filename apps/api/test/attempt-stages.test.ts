// Lab stages in an attempt, against real PostgreSQL and Docker, on a two-stage Linux lab
// (packages/grader/test/fixtures/staged-lab): the stage's questions are drawn with the task that
// unlocks them, shown locked and refused; a passing Check runs the stage's setup in the learner's
// node once, even when two API processes get the same Check at once, and opens the questions; a
// stage never opened grades as 0 with "stage not unlocked"; in an exam, only the unlocking task
// has a Check.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execInNode } from '@praxis/sandbox';
import { Client, signedInClient } from './api-helpers';
import { followEvents, useAttemptApp } from './attempt-helpers';

const SCOPE = 'api-attempt-stages';
const FIXTURES = path.resolve(import.meta.dirname, '../../../packages/grader/test/fixtures');
// PRAXIS_CLUSTER: a second API process on the same database races the first one's Check.
const ctx = useAttemptApp(SCOPE, { PRAXIS_IMPORT_ROOT: FIXTURES, PRAXIS_CLUSTER: '1' });

let made = 0;
async function setUp(mode: 'practice' | 'exam') {
  made += 1;
  const instructor = await signedInClient(ctx.app, 'instructor');
  const imported = await instructor.post('/api/banks/import', { slug: `staged-${made}`, path: 'staged-lab' });
  expect(imported.statusCode, imported.body).toBe(201);
  // Only the stage's questions are picked: the task that unlocks them comes along.
  const created = await instructor.post('/api/tests', {
    title: `Staged ${mode}`,
    bankId: imported.json().bankId,
    lab: 'staged-lab',
    timeLimitSeconds: 900,
    attemptsAllowed: 3,
    mode,
    selection: { mode: 'fixed', questions: ['restore-a', 'why-down'] },
  });
  expect(created.statusCode, created.body).toBe(201);
  const cohort = (await instructor.post('/api/cohorts', { name: `staged ${made}` })).json();
  await instructor.put(`/api/cohorts/${cohort.id}/tests/${created.json().id}`, {});
  const learner = await signedInClient(ctx.app, 'learner');
  await learner.post('/api/cohorts/join', { code: cohort.inviteCode });
  const started = await learner.post(`/api/tests/${created.json().id}/attempts`);
  expect(started.statusCode, started.body).toBe(202);
  expect((await followEvents(learner, started.json().id)).at(-1)?.event).toBe('ready');
  const attemptId = started.json().id as string;
  const view = (await learner.get(`/api/attempts/${attemptId}`)).json();
  return { learner, attemptId, view, instanceId: view.instanceId as string };
}

const nodeSh = async (instanceId: string, node: string, script: string) => (await execInNode(ctx.app.sandbox.docker, instanceId, node, ['sh', '-c', script])).stdout.trim();

describe('lab stages in an attempt', () => {
  it('locks a stage until its task passes, runs its setup once across two processes, then opens it', async () => {
    const { learner, attemptId, view, instanceId } = await setUp('practice');
    expect(view.questions.map((q: { title: string; locked: unknown }) => Boolean(q.locked))).toEqual([false, true, true]);
    expect(view.questions[0]).toMatchObject({ position: 1, kind: 'task', unlocksStage: true, locked: null });
    expect(view.questions[1]).toMatchObject({
      position: 2,
      title: 'Part 2: the outage',
      prompt: '',
      locked: { stage: 'outage', status: 'locked', unlockedBy: [1], message: '"Part 2: the outage" unlocks when you pass question 1 (press Check once it is done)' },
    });
    expect(view.questions[2].options).toBeUndefined();

    // Locked: no answer, no Check, no solution.
    const answer = await learner.put(`/api/attempts/${attemptId}/answers/3`, { answer: ['addr'] });
    expect(answer.statusCode).toBe(409);
    expect(answer.json()).toMatchObject({ code: 'STAGE_LOCKED', detail: 'question 3 is locked: "Part 2: the outage" unlocks when you pass question 1 (press Check once it is done)' });
    expect((await learner.post(`/api/attempts/${attemptId}/questions/2/check`)).json().code).toBe('STAGE_LOCKED');
    expect((await learner.post(`/api/attempts/${attemptId}/questions/2/give-up`)).json().code).toBe('STAGE_LOCKED');

    // A failing Check opens nothing, and the setup has not run.
    const notYet = (await learner.post(`/api/attempts/${attemptId}/questions/1/check`)).json();
    expect(notYet).toMatchObject({ passed: false, reason: 'IPv4 forwarding is off on B', stages: [] });
    expect(await nodeSh(instanceId, 'a', 'cat /var/log/praxis-stage-outage.log 2>/dev/null | wc -l')).toBe('0');
    expect(await nodeSh(instanceId, 'a', 'ip -4 -o addr show dev eth0')).toContain('192.168.50.5/24');

    // The learner does the task; the same Check reaches two API processes at once.
    await nodeSh(instanceId, 'b', 'echo 1 > /proc/sys/net/ipv4/ip_forward');
    const app2 = await ctx.restart();
    const other = new Client(app2);
    other.cookies = new Map(learner.cookies);
    const [one, two] = await Promise.all([learner.post(`/api/attempts/${attemptId}/questions/1/check`), other.post(`/api/attempts/${attemptId}/questions/1/check`)]);
    const results = [one.json(), two.json()];
    expect(results.map((r) => r.passed)).toEqual([true, true]);
    const ran = results.flatMap((r) => r.stages).filter((s: { ranSetup: boolean }) => s.ranSetup);
    expect(ran).toEqual([expect.objectContaining({ stage: 'outage', title: 'Part 2: the outage', status: 'open', ranSetup: true })]);
    await app2.close();

    // The setup ran once, and made its state: A lost its address.
    expect(await nodeSh(instanceId, 'a', 'wc -l < /var/log/praxis-stage-outage.log')).toBe('1');
    expect(await nodeSh(instanceId, 'a', 'ip -4 -o addr show dev eth0')).not.toContain('192.168.50.5');

    // A third Check does not run it again.
    const again = (await learner.post(`/api/attempts/${attemptId}/questions/1/check`)).json();
    expect(again.stages).toEqual([{ stage: 'outage', title: 'Part 2: the outage', status: 'open', ranSetup: false }]);
    expect(await nodeSh(instanceId, 'a', 'wc -l < /var/log/praxis-stage-outage.log')).toBe('1');

    // The stage is open: its prompt and options show, it can be answered and checked.
    const open = (await learner.get(`/api/attempts/${attemptId}`)).json();
    expect(open.questions[1]).toMatchObject({ locked: null, prompt: expect.stringContaining('bring back its address 192.168.50.5/24') });
    expect(open.questions[2].options.map((o: { id: string }) => o.id)).toEqual(['addr', 'cable']);
    expect((await learner.put(`/api/attempts/${attemptId}/answers/3`, { answer: ['addr'] })).statusCode).toBe(200);
    expect((await learner.post(`/api/attempts/${attemptId}/questions/2/check`)).json()).toMatchObject({ passed: false, reason: 'A has no 192.168.50.5/24 on eth0' });
    await nodeSh(instanceId, 'a', 'ip addr add 192.168.50.5/24 dev eth0');

    const result = (await learner.post(`/api/attempts/${attemptId}/submit`)).json();
    expect(result.questions.map((q: { points: number }) => q.points)).toEqual([1, 1, 1]);
    expect(result.labs).toEqual([{ lab: 'staged-lab', title: 'Staged outage', finish: expect.stringContaining('you survived the outage') }]);
  });

  it('exam: only the unlocking task has a Check; a stage never opened grades 0 with "stage not unlocked"', async () => {
    const { learner, attemptId } = await setUp('exam');
    const check = await learner.post(`/api/attempts/${attemptId}/questions/1/check`);
    expect(check.json()).toMatchObject({ passed: false, stages: [] });
    expect((await learner.post(`/api/attempts/${attemptId}/questions/2/check`)).json().code).toBe('CHECK_NOT_ALLOWED');
    const result = (await learner.post(`/api/attempts/${attemptId}/submit`)).json();
    expect(result.questions.map((q: { points: number; reason: string }) => [q.points, q.reason.slice(0, 20)])).toEqual([
      [0, 'IPv4 forwarding is o'],
      [0, 'stage not unlocked: '],
      [0, 'stage not unlocked: '],
    ]);
    expect(result.questions[1].reason).toBe('stage not unlocked: "Part 2: the outage" unlocks when you pass question 1 (press Check once it is done)');
  });

  it('reports a failing stage setup (script, node, output) on the Check and the locked question, and retries it on the next passing Check', async () => {
    const { learner, attemptId, instanceId } = await setUp('practice');
    // The learner's own doing breaks the setup: A's address is already gone.
    await nodeSh(instanceId, 'b', 'echo 1 > /proc/sys/net/ipv4/ip_forward');
    await nodeSh(instanceId, 'a', 'ip addr del 192.168.50.5/24 dev eth0');
    const failed = (await learner.post(`/api/attempts/${attemptId}/questions/1/check`)).json();
    expect(failed.passed).toBe(true);
    expect(failed.stages).toEqual([{ stage: 'outage', title: 'Part 2: the outage', status: 'failed', error: expect.any(String), ranSetup: true, setupMs: expect.any(Number) }]);
    expect(failed.stages[0].error).toBe('setup setup/outage-a.sh of stage "outage" on a exited with 2: Error: ipv4: Address not found.');
    const view = (await learner.get(`/api/attempts/${attemptId}`)).json();
    expect(view.questions[1].locked).toMatchObject({ status: 'failed', error: failed.stages[0].error });
    expect(view.questions[1].locked.message).toMatch(/^preparing "Part 2: the outage" on your machines failed \(setup setup\/outage-a\.sh .*\); press Check on question 1 again to retry$/);
    expect((await learner.put(`/api/attempts/${attemptId}/answers/3`, { answer: ['addr'] })).json().code).toBe('STAGE_LOCKED');

    // Put the address back and Check again: the setup runs again, and the stage opens.
    await nodeSh(instanceId, 'a', 'ip addr add 192.168.50.5/24 dev eth0');
    const retried = (await learner.post(`/api/attempts/${attemptId}/questions/1/check`)).json();
    expect(retried.stages).toEqual([expect.objectContaining({ status: 'open', ranSetup: true })]);
    expect((await learner.get(`/api/attempts/${attemptId}`)).json().questions[1].locked).toBeNull();
    expect(await nodeSh(instanceId, 'a', 'ip -4 -o addr show dev eth0')).not.toContain('192.168.50.5');
    await learner.post(`/api/attempts/${attemptId}/submit`);
  });
});

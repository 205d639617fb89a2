// Tests drawn across labs: pools filtered by lab, tag, difficulty and kind, a bound on the labs
// one attempt may span, and an attempt on two labs (two instances, a terminal into each, graded
// per lab, both torn down).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getInstance } from '@praxis/sandbox';
import { signedInClient, type Client } from './api-helpers';
import { followEvents, useAttemptApp } from './attempt-helpers';

const SCOPE = 'api-attempt-multilab';
const LABS = path.resolve(import.meta.dirname, '../../../labs');
const ctx = useAttemptApp(SCOPE);
// One instructor owns this file's bank and tests (instructors see only their own).
let owner: Promise<Client> | undefined;
const theInstructor = () => (owner ??= signedInClient(ctx.app, 'instructor'));

describe('tests across labs', () => {
  it('draws from pools by lab, tag, difficulty and kind, and bounds the labs of an attempt', async () => {
    const instructor = await theInstructor();
    const bankId = (await instructor.post('/api/banks/import', { slug: 'all', path: LABS })).json().bankId as string;
    const base = { title: 'Mixed', bankId, timeLimitSeconds: 600 };
    const everything = await instructor.post('/api/tests', { ...base, selection: { mode: 'draw', pools: [{ count: 5 }] } });
    expect(everything.json().code).toBe('TOO_MANY_LABS');
    const noLab = await instructor.post('/api/tests', { ...base, selection: { mode: 'fixed', questions: ['list-interfaces'] } });
    expect(noLab.json().code).toBe('LAB_REQUIRED');
    const byTag = await instructor.post('/api/tests', { ...base, selection: { mode: 'draw', pools: [{ tags: ['dns', 'cni'], difficulty: ['easy'], kinds: ['choice'], count: 1 }] } });
    expect(byTag.statusCode).toBe(201); // only 02-dns is easy among dns/cni labs
    const learner = await signedInClient(ctx.app, 'learner');
    const open = await instructor.post('/api/tests', { ...base, open: true, selection: { mode: 'draw', pools: [{ labs: ['03-network-namespaces'], kinds: ['choice'], count: 2 }, { labs: ['01-switching-routing'], kinds: ['task'], count: 1 }] } });
    expect(open.statusCode).toBe(201);
    // The draw itself happens at start; cancel right away to check it without provisioning twice.
    const drawn = (await learner.post(`/api/tests/${open.json().id}/attempts`)).json();
    expect(drawn.questions.map((q: { lab: string; kind: string }) => `${q.lab}:${q.kind}`)).toEqual([
      '03-network-namespaces:choice',
      '03-network-namespaces:choice',
      '01-switching-routing:task',
    ]);
    // One attempt at a time, and no more than the test allows (1 by default).
    expect((await learner.post(`/api/tests/${open.json().id}/attempts`)).json()).toMatchObject({ code: 'ATTEMPT_IN_PROGRESS', attemptId: drawn.id });
    await followEvents(learner, drawn.id);
    await learner.post(`/api/attempts/${drawn.id}/submit`);
    expect((await learner.post(`/api/tests/${open.json().id}/attempts`)).json().code).toBe('ATTEMPTS_EXHAUSTED');
  });

  it('refuses to start a test outside its availability window', async () => {
    const instructor = await theInstructor();
    const bankId = (await instructor.get('/api/banks')).json().banks[0].id as string;
    const base = { title: 'Window', bankId, lab: '01-switching-routing', timeLimitSeconds: 600, open: true, selection: { mode: 'fixed', questions: ['list-interfaces'] } };
    const later = (await instructor.post('/api/tests', { ...base, availableFrom: new Date(Date.now() + 3600_000).toISOString() })).json();
    const over = (await instructor.post('/api/tests', { ...base, availableUntil: new Date(Date.now() - 1000).toISOString() })).json();
    const learner = await signedInClient(ctx.app, 'learner');
    expect((await learner.post(`/api/tests/${later.id}/attempts`)).json()).toMatchObject({ status: 409, code: 'TEST_NOT_OPEN' });
    expect((await learner.post(`/api/tests/${over.id}/attempts`)).json()).toMatchObject({ status: 409, code: 'TEST_CLOSED' });
  });

  it('runs an attempt on two labs: an instance and a terminal each, graded per lab', async () => {
    const instructor = await theInstructor();
    const bankId = (await instructor.get('/api/banks')).json().banks[0].id as string;
    const created = await instructor.post('/api/tests', {
      title: 'Two labs',
      bankId,
      timeLimitSeconds: 600,
      open: true,
      selection: { mode: 'fixed', questions: ['01-switching-routing/list-interfaces', '03-network-namespaces/run-in-namespace'] },
    });
    expect(created.statusCode).toBe(201);
    const learner = await signedInClient(ctx.app, 'learner');
    const attemptId = (await learner.post(`/api/tests/${created.json().id}/attempts`)).json().id as string;
    const events = await followEvents(learner, attemptId);
    expect(events.at(-1)!.event).toBe('ready');
    expect(new Set(events.filter((e) => e.event === 'progress').map((e) => e.data.lab))).toEqual(new Set(['01-switching-routing', '03-network-namespaces']));
    const view = (await learner.get(`/api/attempts/${attemptId}`)).json();
    expect(view.labs.map((l: { lab: string }) => l.lab)).toEqual(['01-switching-routing', '03-network-namespaces']);
    const [first, second] = view.labs as { instanceId: string; nodes: string[] }[];
    expect(first!.instanceId).not.toBe(second!.instanceId);
    expect(second!.nodes).toContain('host');
    expect(view.instanceId).toBe(first!.instanceId);

    const token = (await learner.post(`/api/attempts/${attemptId}/terminal-token`, { lab: '03-network-namespaces', node: 'host' })).json();
    expect(token).toMatchObject({ lab: '03-network-namespaces', url: expect.stringContaining(`/api/terminal/${second!.instanceId}/host?`) });
    expect((await learner.post(`/api/attempts/${attemptId}/terminal-token`, { lab: '03-network-namespaces', node: 'a' })).json().code).toBe('NODE_NOT_FOUND');

    await learner.put(`/api/attempts/${attemptId}/answers/1`, { answer: ['a'] });
    await learner.put(`/api/attempts/${attemptId}/answers/2`, { answer: ['exec', 'dash-n'] });
    const result = (await learner.post(`/api/attempts/${attemptId}/submit`)).json();
    expect(result).toMatchObject({ status: 'graded', score: 2, maxScore: 2 });
    expect(result.questions.map((q: { lab: string; passed: boolean }) => `${q.lab}:${q.passed}`)).toEqual(['01-switching-routing:true', '03-network-namespaces:true']);
    for (const l of [first!, second!]) expect(await getInstance(ctx.app.sandbox.docker, l.instanceId)).toBeUndefined();
  });
});

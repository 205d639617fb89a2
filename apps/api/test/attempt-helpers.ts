// Shared by the attempt tests: an app per file whose scope's instances are destroyed after it, a
// bank with the course's first lab, a test on it assigned to a cohort, learners in that cohort,
// SSE parsing, and cleanup of the scope's instances.
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { destroyScopeInstances } from '@praxis/sandbox';
import { signedInClient, useTestApp, type Client, type TestContext } from './api-helpers';

/** useTestApp whose clean-up first destroys the instances the file's attempts left in `scope`. */
export function useAttemptApp(scope: string, env: Record<string, string | undefined> = {}): TestContext {
  return useTestApp(scope, env, (ctx) => removeScopeInstances(ctx.app, scope));
}

export const LAB_DIR = path.resolve(import.meta.dirname, '../../../labs/01-switching-routing');

export async function setUpTest(app: FastifyInstance, test: { questions: string[]; timeLimitSeconds: number; allowCheck?: boolean; slug?: string }) {
  const instructor = await signedInClient(app, 'instructor');
  // Relative to the import folder: the course's labs, or a copy of the lab under a test's own folder.
  const imported = await instructor.post('/api/banks/import', { slug: test.slug ?? 'course', path: path.basename(LAB_DIR) });
  if (imported.statusCode !== 201) throw new Error(`import failed: ${imported.body}`);
  const created = await instructor.post('/api/tests', {
    title: 'Switching and routing',
    bankId: imported.json().bankId,
    lab: '01-switching-routing',
    timeLimitSeconds: test.timeLimitSeconds,
    attemptsAllowed: 3,
    allowCheck: test.allowCheck ?? true,
    selection: { mode: 'fixed', questions: test.questions },
  });
  if (created.statusCode !== 201) throw new Error(`test creation failed: ${created.body}`);
  const cohort = (await instructor.post('/api/cohorts', { name: 'class' })).json();
  await instructor.put(`/api/cohorts/${cohort.id}/tests/${created.json().id}`, {});
  const learner = async () => {
    const c = await signedInClient(app, 'learner');
    await c.post('/api/cohorts/join', { code: cohort.inviteCode });
    return c;
  };
  return { instructor, testId: created.json().id as string, cohortId: cohort.id as string, learner };
}

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

export function parseSse(body: string): SseEvent[] {
  return body
    .split('\n\n')
    .filter((block) => block.startsWith('event:'))
    .map((block) => {
      const lines = block.split('\n');
      return { event: lines[0]!.slice(7), data: JSON.parse(lines[1]!.slice(6)) };
    });
}

/** Follows the attempt's event stream until it ends (ready, failed or graded). */
export async function followEvents(client: Client, attemptId: string): Promise<SseEvent[]> {
  const res = await client.get(`/api/attempts/${attemptId}/events`);
  if (res.statusCode !== 200) throw new Error(`events: ${res.statusCode} ${res.body}`);
  return parseSse(res.body);
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function removeScopeInstances(app: FastifyInstance, scope: string): Promise<void> {
  return destroyScopeInstances(app.sandbox.docker, scope);
}

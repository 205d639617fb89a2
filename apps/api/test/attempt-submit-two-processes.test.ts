// Submitting on one API process while the terminal is served by the other (two real processes of
// one deployment, one PostgreSQL, the real Docker engine), several learners at once. The process
// that grades must have every process end its terminals of the attempt before it pauses the
// nodes: a hang-up exec into a node that is starting while the node is paused never starts on
// Docker 20.10, and holds every later inspect of that node, so the grading, and the submit, would
// wait for ever (bench:load at 60 learners lost submits to this). Each learner's submit answers
// graded, the check sees their shell ended before the freeze, and their terminal is closed with
// the submitted reason.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerClient, destroyScopeInstances } from '@praxis/sandbox';
import { CloseCode, SUBMITTED_REASON } from '@praxis/terminal-protocol';
import { addressOf, Browser } from './http-browser';
import { openPracticeTest, startDeployment, type Deployment } from './scale-helpers';
import { PROMPT, SET_PROMPT, TerminalTestClient } from './terminal-helpers';

const SCOPE = `submit-two-${randomBytes(3).toString('hex')}`;
const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const LEARNERS = 4;
/** A submit's grading here takes seconds; one that has not answered by then is stuck. */
const SUBMIT_WAIT_MS = 90_000;
let deployment: Deployment;
const browsers: Browser[] = [];

beforeAll(async () => {
  deployment = await startDeployment({ scope: SCOPE, processes: 2, env: { PRAXIS_IMPORT_ROOT: FIXTURES, LOG_LEVEL: 'warn' } });
}, 300_000);

afterAll(async () => {
  for (const b of browsers) b.close();
  await deployment?.stop(() => destroyScopeInstances(createDockerClient(), SCOPE));
}, 300_000);

describe('an attempt submitted on one process while another serves its terminal', () => {
  it('ends the shells everywhere before freezing, and every submit answers graded', { timeout: 400_000 }, async () => {
    const [a, b] = deployment.processes as [Deployment['processes'][0], Deployment['processes'][0]];
    const admin = new Browser(a.base, addressOf(240));
    browsers.push(admin);
    await admin.ok('POST', '/api/auth/sign-in', deployment.admin);
    const test = await openPracticeTest(admin, { slug: 'submit', lab: 'submit-lab', questions: ['shell-ended'], title: 'Submit across processes', timeLimitSeconds: 600 });

    // Every learner's REST calls go to process A, their terminal to process B.
    const learners = await Promise.all(
      Array.from({ length: LEARNERS }, async (_, i) => {
        const learner = new Browser(a.base, addressOf(i));
        browsers.push(learner);
        const email = `learner-${i}@${SCOPE}.praxis.test`;
        await learner.ok('POST', '/api/auth/sign-up', { email, password: 'a long learner passphrase', name: `Learner ${i}` });
        await learner.ok('POST', '/api/auth/sign-in', { email, password: 'a long learner passphrase' });
        const attempt = await learner.ok('POST', `/api/tests/${test.id}/attempts`);
        const events = await learner.events(`/api/attempts/${attempt.id}/events`, (e) => e === 'ready' || e === 'failed', 180_000);
        expect(events.at(-1)?.event, JSON.stringify(events.at(-1))).toBe('ready');
        const { instanceId } = await learner.ok('GET', `/api/attempts/${attempt.id}`);
        const minted = await learner.ok('POST', `/api/attempts/${attempt.id}/terminal-token`, { node: 'solo' });
        const term = await TerminalTestClient.connect(`${b.base.replace(/^http/, 'ws')}/api/terminal/${instanceId}/solo`, {
          protocols: ['praxis.terminal.v1', `bearer.${minted.token}`],
          localAddress: learner.address,
        });
        const from = term.mark();
        term.send(SET_PROMPT);
        await term.waitFor(PROMPT, 30_000, from);
        return { learner, attemptId: attempt.id as string, term };
      }),
    );

    // All submit at once, on A, each with its terminal still open on B.
    const results = await Promise.all(
      learners.map(async ({ learner, attemptId, term }) => {
        let timer: NodeJS.Timeout | undefined;
        const result = await Promise.race([
          learner.ok('POST', `/api/attempts/${attemptId}/submit`),
          new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the submit of ${attemptId} did not answer within ${SUBMIT_WAIT_MS / 1000} s`)), SUBMIT_WAIT_MS))),
        ]).finally(() => clearTimeout(timer));
        return { attemptId, result, closed: await term.closed };
      }),
    );
    for (const { attemptId, result, closed } of results) {
      const q = result.questions?.[0];
      expect({ attemptId, status: result.status, score: result.score, reason: q?.reason }).toEqual({ attemptId, status: 'graded', score: result.maxScore, reason: '' });
      expect(closed.code).toBe(CloseCode.timeUp);
      expect(closed.reason).toContain(SUBMITTED_REASON);
    }
  });
});

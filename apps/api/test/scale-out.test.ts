// The scale-out proof on this machine with real parts only: two API processes (the real entry
// point, PRAXIS_CLUSTER=1, one PostgreSQL) behind Debian's HAProxy (round robin per request, no
// sticky sessions), two real Docker engines (the shared one over its socket, and a second dockerd
// of this test's own over TCP with TLS client certificates made for the run), and learners as
// browsers are to the API (cookies, CSRF, server-sent events, the terminal WebSocket), each from
// a loopback address of its own. A learner's whole journey is served by both processes and
// instances land on both engines; then one API process is killed mid-attempt and the other
// carries on (terminal resumed at its byte, leader taken over, submit graded), and one engine is
// cut off (frozen, as a host dropped off the network): its learners are told why, their attempts end fairly after the grace period (not
// counted), they start again on the other engine, and the rest never notice.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDbClient, type DbClient } from '@praxis/db';
import { createDockerClient, destroyScopeInstances, pingEngine } from '@praxis/sandbox';
import { CloseCode } from '@praxis/terminal-protocol';
import { startTestEngine, type TestEngine } from './engine-helpers';
import { addressOf, Browser } from './http-browser';
import { openPracticeTest, startDeployment, type Deployment } from './scale-helpers';
import { TerminalTestClient } from './terminal-helpers';

const run = randomBytes(3).toString('hex');
const SCOPE = `scale-${run}`;
const LABS = fileURLToPath(new URL('../../../labs', import.meta.url));
const GRACE_SECONDS = 20;
let engineB: TestEngine;
let deployment: Deployment;
let db: DbClient;
let secrets: string;
const t0 = Date.now();
const log = (m: string) => console.log(`[scale-out ${((Date.now() - t0) / 1000).toFixed(1)} s] ${m}`);

interface Learner {
  b: Browser;
  attemptId: string;
  instanceId: string;
  engineId: string;
}
const learners: Learner[] = [];
let testId = '';

beforeAll(async () => {
  engineB = await startTestEngine(`px${run}`, { onProgress: log });
  log(`engine b on ${engineB.url} (TLS)`);
  secrets = mkdtempSync(join(tmpdir(), 'praxis-scale-'));
  const engines = join(secrets, 'engines.json');
  writeFileSync(
    engines,
    JSON.stringify([
      { id: 'a', url: 'unix:///var/run/docker.sock', capacity: 3 },
      { id: 'b', url: engineB.url, capacity: 3, tls: engineB.tls },
    ]),
    { mode: 0o600 },
  );
  deployment = await startDeployment({
    scope: SCOPE,
    processes: 2,
    env: { PRAXIS_ENGINES: engines, PRAXIS_ENGINE_GRACE: String(GRACE_SECONDS), PRAXIS_IMPORT_ROOT: LABS, LOG_LEVEL: 'warn' },
  });
  db = createDbClient(deployment.databaseUrl);
  log(`two API processes behind HAProxy on ${deployment.base}`);
}, 900_000);

afterAll(async () => {
  // Each step whatever the one before did: a second dockerd left running would outlive the run.
  try {
    await db?.$disconnect();
    await deployment?.stop(() => destroyScopeInstances(createDockerClient(), SCOPE));
  } finally {
    await engineB?.remove();
    if (secrets) rmSync(secrets, { recursive: true, force: true });
  }
  log('cleaned up');
}, 300_000);

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, ms: number): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function start(b: Browser): Promise<Learner> {
  const attempt = await b.ok('POST', `/api/tests/${testId}/attempts`);
  const events = await b.events(`/api/attempts/${attempt.id}/events`, (e) => e === 'ready' || e === 'failed', 180_000);
  expect(events.at(-1)?.event, JSON.stringify(events.at(-1))).toBe('ready');
  const { instanceId } = await b.ok('GET', `/api/attempts/${attempt.id}`);
  const row = await db.attemptInstance.findUniqueOrThrow({ where: { instanceId } });
  return { b, attemptId: attempt.id, instanceId, engineId: row.engineId };
}

async function terminal(l: Learner, node: string, query = '') {
  const minted = await l.b.ok('POST', `/api/attempts/${l.attemptId}/terminal-token`, { node });
  return TerminalTestClient.connect(`${deployment.base.replace(/^http/, 'ws')}/api/terminal/${l.instanceId}/${node}${query}`, {
    protocols: ['praxis.terminal.v1', `bearer.${minted.token}`],
    localAddress: l.b.address,
  });
}

describe('two API processes behind HAProxy, two Docker engines', () => {
  it('reaches the second engine only with a client certificate', async () => {
    const ping = (withCert: boolean) =>
      new Promise<string>((resolve) => {
        const url = new URL(engineB.url.replace('tcp:', 'https:'));
        const req = https.get(
          { host: url.hostname, port: url.port, path: '/_ping', ca: readFileSync(engineB.tls.ca), ...(withCert ? { cert: readFileSync(engineB.tls.cert), key: readFileSync(engineB.tls.key) } : {}) },
          (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve(`${res.statusCode} ${body}`));
          },
        );
        req.on('error', (error) => resolve(`refused: ${error.message}`));
      });
    expect(await ping(false)).toMatch(/^refused: /);
    expect(await ping(true)).toBe('200 OK');
    expect((await pingEngine(engineB.docker, 3000)).up).toBe(true);
  });

  it("places learners on both engines and serves a learner's whole journey from both processes", async () => {
    const admin = new Browser(deployment.base, addressOf(200));
    await admin.ok('POST', '/api/auth/sign-in', deployment.admin);
    testId = (
      await openPracticeTest(admin, {
        slug: 'routing',
        lab: '01-switching-routing',
        questions: ['address-of-a', 'route-on-a'],
        title: 'Routing at scale',
        timeLimitSeconds: 1800,
        attemptsAllowed: 2,
      })
    ).id;
    const browsers = [0, 1, 2, 3].map((i) => new Browser(deployment.base, addressOf(i)));
    for (const [i, b] of browsers.entries()) {
      await b.ok('POST', '/api/auth/sign-up', { email: `learner-${i}@${SCOPE}.praxis.test`, password: 'a long learner passphrase', name: `Learner ${i}` });
      await b.ok('POST', '/api/auth/sign-in', { email: `learner-${i}@${SCOPE}.praxis.test`, password: 'a long learner passphrase' });
    }
    // One after the other, so placement is plain to see: least loaded first, ties to a.
    for (const b of browsers) learners.push(await start(b));
    expect(learners.map((l) => l.engineId)).toEqual(['a', 'b', 'a', 'b']);
    const engines = await admin.ok('GET', '/api/admin/engines');
    expect(engines.engines.map((e: { id: string; held: number; status: string }) => [e.id, e.held, e.status])).toEqual([
      ['a', 2, 'up'],
      ['b', 2, 'up'],
    ]);
    // The instances are where the database says they are.
    expect((await engineB.docker.listContainers({ filters: { label: [`praxis.instance=${learners[1]!.instanceId}`] } })).length).toBeGreaterThan(0);
    log(`four learners ready, on engines ${learners.map((l) => l.engineId).join(', ')}`);

    // Lea (engine a) answers, checks, fixes the route in her terminal, checks again.
    const lea = learners[0]!;
    await lea.b.ok('PUT', `/api/attempts/${lea.attemptId}/answers/1`, { answer: '192.168.1.5/24' });
    expect((await lea.b.ok('POST', `/api/attempts/${lea.attemptId}/questions/2/check`)).passed).toBe(false);
    const term = await terminal(lea, 'a');
    const from = term.mark();
    term.send('ip route add 192.168.2.0/24 via 192.168.1.6 && ip route\r');
    await term.waitFor('192.168.2.0/24 via 192.168.1.6 dev eth0', 15_000, from);
    expect((await lea.b.ok('POST', `/api/attempts/${lea.attemptId}/questions/2/check`)).passed).toBe(true);
    // No sticky sessions: both processes answered her.
    expect([...lea.b.servedBy.keys()].sort()).toEqual(['api1', 'api2']);
    log(`lea's requests answered by ${[...lea.b.servedBy].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    (lea as Learner & { term?: TerminalTestClient }).term = term;

    // Grading is done once, whichever processes get the submit: Sam submits twice at once, the
    // balancer hands one request to each process, and both answer with the one result.
    const sam = new Browser(deployment.base, addressOf(4));
    await sam.ok('POST', '/api/auth/sign-up', { email: `sam@${SCOPE}.praxis.test`, password: 'a long learner passphrase', name: 'Sam' });
    await sam.ok('POST', '/api/auth/sign-in', { email: `sam@${SCOPE}.praxis.test`, password: 'a long learner passphrase' });
    const s = await start(sam);
    const submits = await Promise.all([0, 1].map(() => sam.request('POST', `/api/attempts/${s.attemptId}/submit`)));
    expect(submits.map((r) => r.status)).toEqual([200, 200]);
    expect(new Set(submits.map((r) => r.headers['x-served-by'])).size).toBe(2);
    expect(submits[1]!.json).toEqual(submits[0]!.json);
    expect(submits[0]!.json).toMatchObject({ status: 'graded', maxScore: 3 });
    const row = await db.attempt.findUniqueOrThrow({ where: { id: s.attemptId } });
    expect(row).toMatchObject({ status: 'graded', score: submits[0]!.json.score, workerId: null });
    log(`sam's two submits answered by ${submits.map((r) => r.headers['x-served-by']).join(' and ')} with one grade`);
  }, 300_000);

  it('kills one API process mid-attempt: the other carries on, terminal resumed at its byte', async () => {
    const lea = learners[0]! as Learner & { term: TerminalTestClient };
    const resume = lea.term.resumeQuery();
    const [api1, api2] = deployment.processes;
    api1!.child.kill('SIGKILL');
    log('api1 killed');
    // Every request keeps working: HAProxy retries a refused connection on api2, then marks api1 down.
    for (let i = 0; i < 20; i++) expect((await lea.b.request('GET', `/api/attempts/${lea.attemptId}`)).status).toBe(200);
    // Whether her terminal was on api1 or api2, a reconnect with her resume point gets exactly what followed.
    await lea.term.close();
    const again = await terminal(lea, 'a', `?${resume}`);
    expect(again.status).toMatchObject({ skipped: 0 });
    expect(`session=${again.status.sessionId}&offset=${again.status.offset}`).toBe(resume);
    const from = again.mark();
    again.send('echo still-$((40+2))\r');
    await again.waitFor('still-42\r\n', 15_000, from);
    await again.close();
    // The survivor leads (sweeps, deadlines, the engine watch).
    await waitFor('api2 to lead', async () => /^praxis_leader 1$/m.test(await (await fetch(`${api2!.base}/metrics`)).text()), 15_000);
    const result = await lea.b.ok('POST', `/api/attempts/${lea.attemptId}/submit`);
    expect(result).toMatchObject({ status: 'graded', score: 3, maxScore: 3 });
    log('lea graded 3/3 after api1 was killed');
  }, 120_000);

  it('cuts engine b off: its learners are told, their attempts end fairly and start again on a; the others never notice', async () => {
    const onB = learners.filter((l) => l.engineId === 'b');
    const onA = learners.filter((l, i) => l.engineId === 'a' && i > 0);
    const term = await terminal(onB[0]!, 'a');
    // The engine drops off the network: its API stops answering, its containers run on, and the
    // terminal's stream stays open with nobody at the far end.
    engineB.cutOff();
    const downAt = Date.now();
    log('engine b cut off');
    // Once the leader marks it down, the terminal says the host is not answering, in whichever
    // process holds it (a close the page reconnects from, not a final one).
    expect((await term.closed).code).toBe(CloseCode.hostUnavailable);
    const check = await onB[0]!.b.request('POST', `/api/attempts/${onB[0]!.attemptId}/questions/2/check`);
    expect(check.status).toBe(503);
    expect(check.json).toMatchObject({ code: 'ENGINE_DOWN', detail: expect.stringContaining('stopped answering') });
    // Learners on a are not affected.
    expect((await onA[0]!.b.request('POST', `/api/attempts/${onA[0]!.attemptId}/questions/2/check`)).status).toBe(200);

    const admin = new Browser(deployment.base, addressOf(201));
    await admin.ok('POST', '/api/auth/sign-in', deployment.admin);
    const down = await waitFor('engine b marked down', async () => {
      const e = (await admin.ok('GET', '/api/admin/engines')).engines.find((x: { id: string }) => x.id === 'b');
      return e.status === 'down' ? e : undefined;
    }, 60_000);
    expect(down.lastError).toBeTruthy();
    const health = await admin.request('GET', '/healthz');
    expect(health).toMatchObject({ status: 200, json: { status: 'degraded', engines: { a: 'up', b: 'down' } } });

    // Past the grace period the attempts on b end: failed (not counted), with the reason.
    for (const l of onB) {
      const ended = await waitFor(`the attempt on b to end`, async () => {
        const a = await l.b.ok('GET', `/api/attempts/${l.attemptId}`);
        return a.status === 'failed' ? a : undefined;
      }, (GRACE_SECONDS + 45) * 1000);
      expect(ended.error).toContain('stopped answering');
      expect(ended.error).toContain('does not count against your attempts');
    }
    log(`attempts on b ended ${((Date.now() - downAt) / 1000).toFixed(0)} s after the engine was cut off`);
    // They start again at once, on engine a.
    const fresh = await start(onB[0]!.b);
    expect(fresh.engineId).toBe('a');
    // The learner on a still works, through the one process left.
    expect((await onA[0]!.b.request('POST', `/api/attempts/${onA[0]!.attemptId}/questions/2/check`)).status).toBe(200);
    log('a learner of b started again on a');
  }, 300_000);
});

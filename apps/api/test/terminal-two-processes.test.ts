// One shell, two API processes (two servers of one deployment on one database, each with its own
// Docker exec into the node's holder): neither evicts the other's viewers, input from either
// reaches the shell, a client that dropped resumes on the other process at its exact byte, and
// the shell's recording holds each byte once although both processes relayed it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@praxis/db';
import { createDockerClient, createInstance, destroyScopeInstances, execInNode, type Instance } from '@praxis/sandbox';
import { loadConfig, type Config } from '../src/config';
import { renderAsciicast } from '../src/services/recordings/render-asciicast';
import { signTerminalToken } from '../src/lib/terminal-token';
import { PROMPT, SET_PROMPT, TerminalTestClient, labImageOptions, startTerminalApp } from './terminal-helpers';

const docker = createDockerClient();
const scope = `test-term-two-${randomBytes(3).toString('hex')}`;
const dataDir = mkdtempSync(join(tmpdir(), 'praxis-terminal-two-'));
let database: TestDatabase;
let config: Config;
let instance: Instance;
const servers: { app: FastifyInstance; host: string }[] = [];

beforeAll(async () => {
  database = await createTestDatabase('termtwo');
  config = loadConfig({ PRAXIS_CLUSTER: '1', DATABASE_URL: database.url, PRAXIS_SECRET: randomBytes(24).toString('hex'), PRAXIS_SCOPE: scope, PRAXIS_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const images = await labImageOptions(docker);
  instance = await createInstance(docker, { nodes: [{ name: 'a' }] }, { scope, owner: 'terminal-test', ...images });
  servers.push(await startTerminalApp(config), await startTerminalApp(config));
});

afterAll(async () => {
  for (const s of servers) await s.app.close().catch(() => undefined);
  await destroyScopeInstances(docker, scope);
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const url = (server: { host: string }, query = '') => {
  const token = signTerminalToken(config.terminalSecret, { sub: 'two', instanceId: instance.id, node: 'a', mode: 'write', exp: Math.floor(Date.now() / 1000) + 300 });
  return `ws://${server.host}/api/terminal/${instance.id}/a?token=${token}${query}`;
};

const relays = async () => (await execInNode(docker, instance.id, 'a', ['sh', '-c', "ps -eo args | grep -c '^praxis-terminal-attach'"])).stdout.trim();

describe('a terminal served by two API processes', () => {
  it('keeps both processes\' viewers, takes input from both, and resumes a client on the other process at its byte', async () => {
    const [one, two] = servers as [(typeof servers)[0], (typeof servers)[0]];
    const a = await TerminalTestClient.connect(url(one));
    let from = a.mark();
    a.send(SET_PROMPT);
    await a.waitFor(PROMPT, 10_000, from);
    const b = await TerminalTestClient.connect(url(two));
    // The same shell through both: one holder, two relays (one exec per process).
    expect(b.status.shellId).toBe(a.status.shellId);
    expect(b.status.sessionId).toBe(a.status.sessionId);
    expect(await relays()).toBe('2');

    from = a.mark();
    const fromB = b.mark();
    a.send('echo one-$((3*3))\r');
    await a.waitFor('one-9\r\n', 10_000, from);
    await b.waitFor('one-9\r\n', 10_000, fromB);
    b.send('echo two-$((4*4))\r');
    // Both wait for the prompt after the output too, so the shell is quiet when A drops and B's
    // mark below is where A's offset is (the prompt arriving at B after the mark failed CI once).
    await a.waitFor(/two-16\r\n[^]*READY> /, 10_000, from);
    await b.waitFor(/two-16\r\n[^]*READY> /, 10_000, fromB);
    // Nobody was evicted: both are still attached and answer.
    await a.ping();
    await b.ping();

    // A drops; output goes on meanwhile; A comes back through the other process with its offset.
    const resume = { session: a.status.sessionId, offset: a.status.offset + a.received };
    expect(a.resumeQuery()).toBe(`session=${resume.session}&offset=${resume.offset}`);
    await a.close();
    const missed = b.mark();
    b.send('echo while-away-$((5*5))\r');
    await b.waitFor(/while-away-25\r\n[^]*READY> /, 10_000, missed);
    const back = await TerminalTestClient.connect(url(two, `&session=${resume.session}&offset=${resume.offset}`));
    expect(back.status).toMatchObject({ sessionId: resume.session, offset: resume.offset, skipped: 0 });
    // Exactly what A missed, nothing it had already seen.
    await back.waitFor(/while-away-25\r\n[^]*READY> /);
    expect(back.text).not.toContain('two-16');
    expect(back.text.endsWith(b.text.slice(missed))).toBe(true);
    await back.close();
    await b.close();
  });

  it('records each byte once although both processes relayed it', async () => {
    const [one, two] = servers as [(typeof servers)[0], (typeof servers)[0]];
    const a = await TerminalTestClient.connect(url(one));
    const b = await TerminalTestClient.connect(url(two));
    const from = a.mark();
    a.send('echo rec-$((7*6))-once\r');
    await a.waitFor('rec-42-once\r\n', 10_000, from);
    await b.waitFor('rec-42-once\r\n');
    await a.close();
    await b.close();
    await new Promise((r) => setTimeout(r, 1500));
    const recordings = await one.app.db.terminalRecording.findMany({ where: { instanceId: instance.id } });
    expect(recordings).toHaveLength(1);
    let cast = '';
    for await (const part of renderAsciicast(one.app.db, recordings[0]!)) cast += part;
    const output = cast
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => JSON.parse(l) as [number, string, string])
      .filter((e) => e[1] === 'o')
      .map((e) => e[2])
      .join('');
    // The command line echoed once and its output once: "rec-42-once" twice in all, not four times.
    expect(output.split('rec-42-once').length - 1).toBe(1);
    expect(output.split('rec-$((7*6))-once').length - 1).toBe(1);
    expect(output).toContain('one-9');
  });
});

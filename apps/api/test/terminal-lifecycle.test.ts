// The terminal around its edges: the dev token route exists only when enabled and only for the
// deployment's own instances, and a server restart keeps the shell (clients get 1001 and come back).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerClient, createInstance, destroyScopeInstances, type Instance } from '@praxis/sandbox';
import { loadConfig } from '../src/config';
import { verifyTerminalToken } from '../src/lib/terminal-token';
import { PROMPT, SET_PROMPT, TerminalTestClient, labImageOptions, startTerminalApp } from './terminal-helpers';

const docker = createDockerClient();
const scope = `test-term-life-${randomBytes(3).toString('hex')}`;
const dataDir = mkdtempSync(join(tmpdir(), 'praxis-terminal-life-'));
let instance: Instance;

const env = (extra: Record<string, string> = {}) =>
  loadConfig({ PRAXIS_SCOPE: scope, PRAXIS_DATA_DIR: dataDir, PRAXIS_SECRET: randomBytes(24).toString('hex'), LOG_LEVEL: 'warn', ...extra });

beforeAll(async () => {
  const images = await labImageOptions(docker);
  instance = await createInstance(docker, { nodes: [{ name: 'a' }] }, { scope, owner: 'terminal-test', ...images });
});

afterAll(async () => {
  await destroyScopeInstances(docker, scope);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('terminal lifecycle', () => {
  it('mints dev tokens only when PRAXIS_DEV_ROUTES=1, and only for this scope', async () => {
    const off = await startTerminalApp(env());
    const refused = await off.app.inject({ method: 'POST', url: '/api/dev/terminal-token', payload: { instanceId: instance.id, node: 'a' } });
    expect(refused.statusCode).toBe(404);
    await off.app.close();

    const config = env({ PRAXIS_DEV_ROUTES: '1' });
    const on = await startTerminalApp(config);
    const minted = await on.app.inject({ method: 'POST', url: '/api/dev/terminal-token', payload: { instanceId: instance.id, node: 'a' } });
    expect(minted.statusCode).toBe(200);
    expect(verifyTerminalToken(config.terminalSecret, minted.json().token)).toMatchObject({ instanceId: instance.id, node: 'a', mode: 'write' });
    const otherNode = await on.app.inject({ method: 'POST', url: '/api/dev/terminal-token', payload: { instanceId: instance.id, node: 'zz' } });
    expect(otherNode.statusCode).toBe(404);
    expect(otherNode.headers['content-type']).toContain('application/problem+json');
    await on.app.close();
    // Another deployment (scope) cannot mint tokens for this instance.
    const foreign = await startTerminalApp(loadConfig({ PRAXIS_SCOPE: 'someone-else', PRAXIS_DATA_DIR: dataDir, PRAXIS_DEV_ROUTES: '1', LOG_LEVEL: 'warn' }));
    const denied = await foreign.app.inject({ method: 'POST', url: '/api/dev/terminal-token', payload: { instanceId: instance.id, node: 'a' } });
    expect(denied.statusCode).toBe(404);
    await foreign.app.close();
  });

  it('keeps the shell across a server restart: clients get 1001, the next server re-attaches', async () => {
    const config = env({ PRAXIS_DEV_ROUTES: '1' });
    const first = await startTerminalApp(config);
    const mint = async (app: FastifyInstance) =>
      (await app.inject({ method: 'POST', url: '/api/dev/terminal-token', payload: { instanceId: instance.id, node: 'a' } })).json().token as string;
    const t = await TerminalTestClient.connect(`ws://${first.host}/api/terminal/${instance.id}/a?token=${await mint(first.app)}`);
    t.resize(100, 30);
    let from = t.mark();
    t.send(SET_PROMPT);
    await t.waitFor(PROMPT, 10_000, from);
    from = t.mark();
    t.send('export W=42; cd /tmp\r');
    await t.waitFor(/cd \/tmp\r\n[^]*root-READY> /, 10_000, from);
    await first.app.close();
    expect((await t.closed).code).toBe(1001);

    const second = await startTerminalApp(config);
    const again = await TerminalTestClient.connect(`ws://${second.host}/api/terminal/${instance.id}/a?token=${await mint(second.app)}`);
    expect(again.status.shellId).toBe(t.status.shellId);
    // The holder replays the recent screen to the new server.
    await again.waitFor('export W=42; cd /tmp');
    from = again.mark();
    again.send('echo "W=$W in $(pwd)"\r');
    await again.waitFor('W=42 in /tmp\r\n', 10_000, from);
    // The new window's size reaches the shell even though it equals the server's default.
    again.resize(80, 24);
    from = again.mark();
    again.send('stty size\r');
    await again.waitFor('24 80\r\n', 10_000, from);
    await again.close();
    await second.app.close();
  });
});

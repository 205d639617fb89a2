// The terminal around its edges: the dev token route exists only when enabled and only for the
// deployment's own instances, and a server shutdown closes clients with 1001 and ends its shells.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerClient, createInstance, destroyInstance, execInNode, listInstances, type Instance } from '@praxis/sandbox';
import { loadConfig, type Config } from '../src/config';
import sandboxPlugin from '../src/plugins/sandbox.plugin';
import terminalPlugin from '../src/terminal/terminal.plugin';
import { verifyTerminalToken } from '../src/terminal/terminal-token';
import { PROMPT, SET_PROMPT, TerminalTestClient, labImageOptions } from './terminal-helpers';

const docker = createDockerClient();
const scope = `test-term-life-${randomBytes(3).toString('hex')}`;
const dataDir = mkdtempSync(join(tmpdir(), 'praxis-terminal-life-'));
let instance: Instance;

async function startApp(config: Config): Promise<{ app: FastifyInstance; base: string }> {
  const app = Fastify({ logger: false });
  await app.register(sandboxPlugin, { config });
  await app.register(terminalPlugin, { config });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, base: `127.0.0.1:${(app.server.address() as { port: number }).port}` };
}

const env = (extra: Record<string, string> = {}) =>
  loadConfig({ PRAXIS_SCOPE: scope, PRAXIS_DATA_DIR: dataDir, PRAXIS_SECRET: randomBytes(24).toString('hex'), LOG_LEVEL: 'warn', ...extra });

beforeAll(async () => {
  const images = await labImageOptions(docker);
  instance = await createInstance(docker, { nodes: [{ name: 'a' }] }, { scope, owner: 'terminal-test', ...images });
});

afterAll(async () => {
  for (const i of await listInstances(docker)) if (i.scope === scope) await destroyInstance(docker, i.id);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('terminal lifecycle', () => {
  it('mints dev tokens only when PRAXIS_DEV_ROUTES=1, and only for this scope', async () => {
    const off = await startApp(env());
    const refused = await off.app.inject({ method: 'POST', url: '/api/dev/terminal-token', payload: { instanceId: instance.id, node: 'a' } });
    expect(refused.statusCode).toBe(404);
    await off.app.close();

    const config = env({ PRAXIS_DEV_ROUTES: '1' });
    const on = await startApp(config);
    const minted = await on.app.inject({ method: 'POST', url: '/api/dev/terminal-token', payload: { instanceId: instance.id, node: 'a' } });
    expect(minted.statusCode).toBe(200);
    expect(verifyTerminalToken(config.terminalSecret, minted.json().token)).toMatchObject({ instanceId: instance.id, node: 'a', mode: 'write' });
    const otherNode = await on.app.inject({ method: 'POST', url: '/api/dev/terminal-token', payload: { instanceId: instance.id, node: 'zz' } });
    expect(otherNode.statusCode).toBe(404);
    expect(otherNode.headers['content-type']).toContain('application/problem+json');
    await on.app.close();
    // Another deployment (scope) cannot mint tokens for this instance.
    const foreign = await startApp(loadConfig({ PRAXIS_SCOPE: 'someone-else', PRAXIS_DATA_DIR: dataDir, PRAXIS_DEV_ROUTES: '1', LOG_LEVEL: 'warn' }));
    const denied = await foreign.app.inject({ method: 'POST', url: '/api/dev/terminal-token', payload: { instanceId: instance.id, node: 'a' } });
    expect(denied.statusCode).toBe(404);
    await foreign.app.close();
  });

  it('closes clients with 1001 on shutdown and ends the shell in the node', async () => {
    const config = env({ PRAXIS_DEV_ROUTES: '1' });
    const { app, base } = await startApp(config);
    const { token } = (await app.inject({ method: 'POST', url: '/api/dev/terminal-token', payload: { instanceId: instance.id, node: 'a' } })).json();
    const t = await TerminalTestClient.connect(`ws://${base}/api/terminal/${instance.id}/a?token=${token}`);
    const from = t.mark();
    t.send(SET_PROMPT);
    await t.waitFor(PROMPT, 10_000, from);
    const pidFile = `/run/praxis/terminal-${t.status.sessionId}.pid`;
    const pid = (await execInNode(docker, instance.id, 'a', ['cat', pidFile])).stdout.trim();
    expect(pid).toMatch(/^\d+$/);
    await app.close();
    expect((await t.closed).code).toBe(1001);
    const alive = await execInNode(docker, instance.id, 'a', ['sh', '-c', `kill -0 ${pid} 2>/dev/null && echo alive || echo gone`]);
    expect(alive.stdout.trim()).toBe('gone');
  });
});

// Run by the e2e global setup under tsx: starts the real API entry point (apps/api/src/server.ts)
// on a random loopback port with a data dir, scope and secret of its own, creates a two-node lab
// instance in that scope, prints `READY <json>` and, when stdin closes, tears everything down.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@praxis/db';
import { createDockerClient, createInstance, destroyInstance, listInstances } from '@praxis/sandbox';
import { loadConfig } from '../../apps/api/src/config';
import { signTerminalToken } from '../../apps/api/src/terminal/terminal-token';
import { labImageOptions } from '../../apps/api/test/terminal-helpers';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const docker = createDockerClient();
const scope = `e2e-${randomBytes(3).toString('hex')}`;
const dataDir = mkdtempSync(join(tmpdir(), 'praxis-e2e-'));
// The embedded PostgreSQL runs as its own user when we are root: it must reach its folder.
chmodSync(dataDir, 0o755);
const secret = randomBytes(24).toString('hex');
const port = await freePort();
// A database of the run's own, like the API's integration tests (the default embedded one sits on a fixed port).
const database = await createTestDatabase(scope);
const env = {
  ...process.env,
  PORT: String(port),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  PRAXIS_SCOPE: scope,
  PRAXIS_DATA_DIR: dataDir,
  DATABASE_URL: database.url,
  PRAXIS_SECRET: secret,
  // The instance below is not an attempt the server knows; keep its collector from sweeping it.
  PRAXIS_GC_INTERVAL: '3600',
  // The web app's tests sign in as this admin (created at start-up) to set up banks and tests.
  PRAXIS_ADMIN_EMAIL: 'admin@e2e.praxis.test',
  PRAXIS_ADMIN_PASSWORD: `admin-${secret.slice(0, 16)}`,
};
const server = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/server.ts'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
let instanceId: string | undefined;

async function cleanUp() {
  server.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1000));
  // Everything of the run's scope: this lab and the attempts' labs the tests started.
  for (const i of await listInstances(docker).catch(() => [])) {
    if (i.scope === scope || i.id === instanceId) await destroyInstance(docker, i.id).catch(() => undefined);
  }
  await database.drop().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
}

process.stdin.on('end', () => void cleanUp().then(() => process.exit(0)));
process.stdin.resume();

try {
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline || server.exitCode !== null) throw new Error('the API server did not answer /healthz');
    await new Promise((r) => setTimeout(r, 300));
  }
  const images = await labImageOptions(docker);
  const instance = await createInstance(docker, { nodes: [{ name: 'a' }, { name: 'b' }] }, { scope, owner: 'e2e', ttlSeconds: 1800, ...images });
  instanceId = instance.id;
  const { terminalSecret } = loadConfig({ PRAXIS_SECRET: secret });
  const exp = Math.floor(Date.now() / 1000) + 1800;
  const tokens = Object.fromEntries(
    instance.nodes.map((n) => [n.name, signTerminalToken(terminalSecret, { sub: 'e2e-learner', instanceId: instance.id, node: n.name, mode: 'write', exp })]),
  );
  console.log(`READY ${JSON.stringify({ base, instanceId: instance.id, nodes: instance.nodes.map((n) => n.name), tokens, admin: { email: env.PRAXIS_ADMIN_EMAIL, password: env.PRAXIS_ADMIN_PASSWORD } })}`);
} catch (error) {
  console.error(error);
  await cleanUp();
  process.exit(1);
}

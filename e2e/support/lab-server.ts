// Run by the e2e global setup under tsx: starts the real API entry point (apps/api/src/server.ts)
// on a random loopback port with a data dir, scope and secret of its own, creates a two-node lab
// instance in that scope, prints `READY <json>` and, when stdin closes, tears everything down.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createDockerClient, createInstance, destroyInstance, listInstances } from '@praxis/sandbox';
import { labImageOptions, startApiServer } from '../../apps/api/test/terminal-helpers';

const docker = createDockerClient();
const scope = `e2e-${randomBytes(3).toString('hex')}`;
const secret = randomBytes(24).toString('hex');
// The web app's tests sign in as this admin (created at start-up) to set up banks and tests.
const admin = { email: 'admin@e2e.praxis.test', password: `admin-${secret.slice(0, 16)}` };
const server = await startApiServer({
  scope,
  dataDirPrefix: 'praxis-e2e-',
  secret,
  // The tests import the course's lab and their fixtures by path: the repository is the import folder.
  env: { PRAXIS_ADMIN_EMAIL: admin.email, PRAXIS_ADMIN_PASSWORD: admin.password, PRAXIS_IMPORT_ROOT: fileURLToPath(new URL('../..', import.meta.url)) },
});
let instanceId: string | undefined;

async function cleanUp() {
  await server.stop(async () => {
    // Everything of the run's scope: this lab and the attempts' labs the tests started.
    for (const i of await listInstances(docker).catch(() => [])) {
      if (i.scope === scope || i.id === instanceId) await destroyInstance(docker, i.id).catch(() => undefined);
    }
  });
}

process.stdin.on('end', () => void cleanUp().then(() => process.exit(0)));
process.stdin.resume();

try {
  await server.waitUntilHealthy();
  const images = await labImageOptions(docker);
  const instance = await createInstance(docker, { nodes: [{ name: 'a' }, { name: 'b' }] }, { scope, owner: 'e2e', ttlSeconds: 1800, ...images });
  instanceId = instance.id;
  const exp = Math.floor(Date.now() / 1000) + 1800;
  const tokens = Object.fromEntries(
    instance.nodes.map((n) => [n.name, server.signToken({ sub: 'e2e-learner', instanceId: instance.id, node: n.name, mode: 'write', exp })]),
  );
  console.log(`READY ${JSON.stringify({ base: server.base, instanceId: instance.id, nodes: instance.nodes.map((n) => n.name), tokens, admin })}`);
} catch (error) {
  console.error(error);
  await cleanUp();
  process.exit(1);
}

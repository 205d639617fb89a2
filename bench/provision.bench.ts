// Cold provisioning of the course's 3-node router lab until every node answers a command,
// against a baseline measured in the same run: plain `docker run` of the same three containers
// (same image, no network, no wiring), also until each answers a command.
// 20 sequential runs of each, then a burst of 10 instances at once.
import { randomBytes } from 'node:crypto';
import {
  createDockerClient,
  createInstance,
  destroyInstance,
  destroyScopeInstances,
  execInContainer,
  imageTag,
  InstancePool,
} from '@praxis/sandbox';
import { percentile } from './percentile';

const docker = createDockerClient({ host: process.env.DOCKER_HOST });
const scope = `bench-${randomBytes(3).toString('hex')}`;
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const BURST = Number(process.env.BENCH_BURST ?? 10);

const router = {
  nodes: [{ name: 'a' }, { name: 'b', sysctls: { 'net.ipv4.ip_forward': 0 } }, { name: 'c' }],
  segments: [{ name: 'lan1' }, { name: 'lan2' }],
  links: [
    { node: 'a', segment: 'lan1', address: '192.168.1.5/24' },
    { node: 'b', segment: 'lan1', address: '192.168.1.6/24' },
    { node: 'b', interface: 'eth1', segment: 'lan2', address: '192.168.2.6/24' },
    { node: 'c', segment: 'lan2', address: '192.168.2.5/24' },
  ],
};

const ms = (x: number) => x.toFixed(0);

async function praxisOnce(): Promise<number> {
  const t = performance.now();
  const inst = await createInstance(docker, router, { scope, owner: 'bench' });
  await Promise.all(inst.nodes.map((n) => execInContainer(docker, n.containerId, ['true'])));
  const elapsed = performance.now() - t;
  await destroyInstance(docker, inst.id);
  return elapsed;
}

async function baselineOnce(image: string): Promise<number> {
  const t = performance.now();
  const ids = await Promise.all(
    ['a', 'b', 'c'].map(async () => {
      const c = await docker.createContainer({
        Image: image,
        Labels: { 'praxis.bench': scope },
        HostConfig: { NetworkMode: 'none' },
      });
      await c.start();
      return c.id;
    }),
  );
  await Promise.all(ids.map((id) => execInContainer(docker, id, ['true'])));
  const elapsed = performance.now() - t;
  await Promise.all(ids.map((id) => docker.getContainer(id).remove({ force: true })));
  return elapsed;
}

async function main() {
  const image = await imageTag(docker, 'node');
  console.log(`provision benchmark: router lab (3 nodes, 2 segments, 4 links), image ${image}`);
  console.log(`${RUNS} sequential runs each, alternating Praxis and baseline; then a burst of ${BURST}\n`);
  // One warm-up of each so both start from the same page-cache state.
  await praxisOnce();
  await baselineOnce(image);
  const praxis: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    praxis.push(await praxisOnce());
    baseline.push(await baselineOnce(image));
    process.stdout.write(`  run ${String(i + 1).padStart(2)}: praxis ${ms(praxis[i]!)} ms, baseline ${ms(baseline[i]!)} ms\n`);
  }

  const burstStart = performance.now();
  const readyAt: number[] = [];
  const instances = await Promise.all(
    Array.from({ length: BURST }, async () => {
      const inst = await createInstance(docker, router, { scope, owner: 'bench-burst' });
      await Promise.all(inst.nodes.map((n) => execInContainer(docker, n.containerId, ['true'])));
      readyAt.push(performance.now() - burstStart);
      return inst;
    }),
  );
  const burstAll = Math.max(...readyAt);
  await Promise.all(instances.map((i) => destroyInstance(docker, i.id)));

  // Warm: the same lab handed out by the warm pool (one instance kept ready), until every node answers.
  const pool = new InstancePool(docker, { scope });
  pool.setTarget(router, 1);
  const warm: number[] = [];
  for (let i = 0; i < Math.min(RUNS, 10); i++) {
    await pool.settled();
    const t = performance.now();
    const inst = pool.take(router)!;
    await Promise.all(inst.nodes.map((n) => execInContainer(docker, n.containerId, ['true'])));
    warm.push(performance.now() - t);
    await destroyInstance(docker, inst.id);
  }
  await pool.close();

  const p50 = percentile(praxis, 50);
  const p95 = percentile(praxis, 95);
  const b50 = percentile(baseline, 50);
  const b95 = percentile(baseline, 95);
  console.log('\n                 p50      p95');
  console.log(`  praxis      ${ms(p50).padStart(6)} ms ${ms(p95).padStart(6)} ms`);
  console.log(`  baseline    ${ms(b50).padStart(6)} ms ${ms(b95).padStart(6)} ms   (docker run x3, no wiring)`);
  console.log(`  warm pool   ${ms(percentile(warm, 50)).padStart(6)} ms ${ms(percentile(warm, 95)).padStart(6)} ms   (taken from the pool, ${warm.length} runs)`);
  console.log(`  burst of ${BURST}: all ready in ${ms(burstAll)} ms (first ${ms(Math.min(...readyAt))} ms)`);
  console.log(`  targets: ratio <= 1.5, p50 <= 1500 ms, burst <= 10000 ms`);
  console.log(`provision: p50=${ms(p50)} p95=${ms(p95)} baseline_p50=${ms(b50)} ratio=${(p50 / b50).toFixed(2)} warm_p50=${ms(percentile(warm, 50))} burst10=${ms(burstAll)}`);
}

try {
  await main();
} finally {
  await destroyScopeInstances(docker, scope);
  const left = await docker.listContainers({ all: true, filters: { label: [`praxis.bench=${scope}`] } });
  await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true })));
}

// Cold provisioning of the course's 3-node router lab until every node answers a command,
// against a baseline measured in the same run: plain `docker run` of the same three containers
// (same image, no network, no wiring), also until each answers a command.
// 20 sequential runs of each, then a burst of 10 instances at once.
//
// BENCH_COMPARE_DOCKER_HOST names a second engine (e.g. one with another storage driver): the
// same runs are made there, interleaved, and both are printed side by side. The targets are
// judged on the first engine (DOCKER_HOST); the exit code is 1 when one is missed or a baseline
// could not be measured.
import { randomBytes } from 'node:crypto';
import {
  createDockerClient,
  createInstance,
  destroyInstance,
  destroyScopeInstances,
  execInContainer,
  imageTag,
  InstancePool,
  readEngineFeatures,
  type Docker,
} from '@praxis/sandbox';
import { percentile } from './percentile';

const scope = `bench-${randomBytes(3).toString('hex')}`;
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const BURST = Number(process.env.BENCH_BURST ?? 10);
const TARGETS = { ratio: 1.5, p50Ms: 1500, burstMs: 10_000 };

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

interface Engine {
  label: string;
  docker: Docker;
  image: string;
  praxis: number[];
  baseline: number[];
  baselineErrors: string[];
}

async function praxisOnce(e: Engine): Promise<number> {
  const t = performance.now();
  const inst = await createInstance(e.docker, router, { scope, owner: 'bench' });
  await Promise.all(inst.nodes.map((n) => execInContainer(e.docker, n.containerId, ['true'])));
  const elapsed = performance.now() - t;
  await destroyInstance(e.docker, inst.id);
  return elapsed;
}

async function baselineOnce(e: Engine): Promise<number> {
  const t = performance.now();
  const ids = await Promise.all(
    ['a', 'b', 'c'].map(async () => {
      const c = await e.docker.createContainer({
        Image: e.image,
        Labels: { 'praxis.bench': scope },
        HostConfig: { NetworkMode: 'none' },
      });
      await c.start();
      return c.id;
    }),
  );
  await Promise.all(ids.map((id) => execInContainer(e.docker, id, ['true'])));
  const elapsed = performance.now() - t;
  await Promise.all(ids.map((id) => e.docker.getContainer(id).remove({ force: true })));
  return elapsed;
}

async function openEngine(host: string | undefined): Promise<Engine> {
  const docker = createDockerClient({ host });
  const f = await readEngineFeatures(docker);
  return {
    label: `${f.storageDriver}${f.diskLimits ? ' (disk limits)' : ''}${host ? ` @ ${host}` : ''}`,
    docker,
    image: await imageTag(docker, 'node'),
    praxis: [],
    baseline: [],
    baselineErrors: [],
  };
}

async function main(): Promise<boolean> {
  const engines = [await openEngine(process.env.DOCKER_HOST)];
  if (process.env.BENCH_COMPARE_DOCKER_HOST) engines.push(await openEngine(process.env.BENCH_COMPARE_DOCKER_HOST));
  console.log(`provision benchmark: router lab (3 nodes, 2 segments, 4 links), image ${engines[0]!.image}`);
  console.log(`engines: ${engines.map((e) => e.label).join(' | ')}`);
  console.log(`${RUNS} sequential runs each, alternating Praxis and baseline${engines.length > 1 ? ' and the engines' : ''}; then a burst of ${BURST}\n`);
  // One warm-up of each so both start from the same page-cache state.
  for (const e of engines) {
    await praxisOnce(e);
    await baselineOnce(e);
  }
  for (let i = 0; i < RUNS; i++) {
    const line: string[] = [];
    for (const e of engines) {
      e.praxis.push(await praxisOnce(e));
      try {
        e.baseline.push(await baselineOnce(e));
      } catch (error) {
        e.baselineErrors.push((error as Error).message);
      }
      line.push(`${e.label.split(' ')[0]}: praxis ${ms(e.praxis.at(-1)!)} ms, baseline ${e.baseline.length ? ms(e.baseline.at(-1)!) : 'failed'} ms`);
    }
    console.log(`  run ${String(i + 1).padStart(2)}: ${line.join('; ')}`);
  }

  const first = engines[0]!;
  const burstStart = performance.now();
  const readyAt: number[] = [];
  const instances = await Promise.all(
    Array.from({ length: BURST }, async () => {
      const inst = await createInstance(first.docker, router, { scope, owner: 'bench-burst' });
      await Promise.all(inst.nodes.map((n) => execInContainer(first.docker, n.containerId, ['true'])));
      readyAt.push(performance.now() - burstStart);
      return inst;
    }),
  );
  const burstAll = Math.max(...readyAt);
  await Promise.all(instances.map((i) => destroyInstance(first.docker, i.id)));

  // Warm: the same lab handed out by the warm pool (one instance kept ready), until every node answers.
  const pool = new InstancePool(first.docker, { scope });
  pool.setTarget(router, 1);
  const warm: number[] = [];
  for (let i = 0; i < Math.min(RUNS, 10); i++) {
    await pool.settled();
    const t = performance.now();
    const inst = pool.take(router)!;
    await Promise.all(inst.nodes.map((n) => execInContainer(first.docker, n.containerId, ['true'])));
    warm.push(performance.now() - t);
    await destroyInstance(first.docker, inst.id);
  }
  await pool.close();

  console.log('\n                                     p50      p95');
  for (const e of engines) {
    console.log(`  praxis   ${e.label.padEnd(24)} ${ms(percentile(e.praxis, 50)).padStart(6)} ms ${ms(percentile(e.praxis, 95)).padStart(6)} ms`);
    if (e.baseline.length) console.log(`  baseline ${e.label.padEnd(24)} ${ms(percentile(e.baseline, 50)).padStart(6)} ms ${ms(percentile(e.baseline, 95)).padStart(6)} ms   (docker run x3, no wiring)`);
  }
  if (engines.length > 1) {
    const [a, b] = engines as [Engine, Engine];
    console.log(`  ${a.label.split(' ')[0]} / ${b.label.split(' ')[0]}: praxis p50 ratio ${(percentile(a.praxis, 50) / percentile(b.praxis, 50)).toFixed(2)}`);
  }
  console.log(`  warm pool ${(first.label.split(' ')[0] ?? '').padEnd(23)} ${ms(percentile(warm, 50)).padStart(6)} ms ${ms(percentile(warm, 95)).padStart(6)} ms   (taken from the pool, ${warm.length} runs)`);
  console.log(`  burst of ${BURST}: all ready in ${ms(burstAll)} ms (first ${ms(Math.min(...readyAt))} ms)`);

  const p50 = percentile(first.praxis, 50);
  const problems: string[] = [];
  if (first.baseline.length < RUNS) problems.push(`the baseline failed ${first.baselineErrors.length} of ${RUNS} runs: ${first.baselineErrors[0]}`);
  const ratio = first.baseline.length ? p50 / percentile(first.baseline, 50) : Number.NaN;
  if (!(ratio <= TARGETS.ratio)) problems.push(`ratio ${ratio.toFixed(2)} > ${TARGETS.ratio}`);
  if (p50 > TARGETS.p50Ms) problems.push(`p50 ${ms(p50)} ms > ${TARGETS.p50Ms} ms`);
  if (burstAll > TARGETS.burstMs) problems.push(`burst ${ms(burstAll)} ms > ${TARGETS.burstMs} ms`);
  console.log(`  targets: ratio <= ${TARGETS.ratio}, p50 <= ${TARGETS.p50Ms} ms, burst <= ${TARGETS.burstMs} ms: ${problems.length ? `MISSED (${problems.join('; ')})` : 'met'}`);
  const compared = engines[1] ? ` compare_p50=${ms(percentile(engines[1].praxis, 50))} compare_baseline_p50=${engines[1].baseline.length ? ms(percentile(engines[1].baseline, 50)) : 'failed'}` : '';
  console.log(`provision: p50=${ms(p50)} p95=${ms(percentile(first.praxis, 95))} baseline_p50=${first.baseline.length ? ms(percentile(first.baseline, 50)) : 'failed'} ratio=${ratio.toFixed(2)} warm_p50=${ms(percentile(warm, 50))} burst10=${ms(burstAll)}${compared}`);
  return problems.length === 0;
}

const docker = createDockerClient({ host: process.env.DOCKER_HOST });
const compare = process.env.BENCH_COMPARE_DOCKER_HOST ? createDockerClient({ host: process.env.BENCH_COMPARE_DOCKER_HOST }) : undefined;
try {
  if (!(await main())) process.exitCode = 1;
} catch (error) {
  console.error(`provision benchmark failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  for (const d of [docker, compare]) {
    if (!d) continue;
    await destroyScopeInstances(d, scope);
    const left = await d.listContainers({ all: true, filters: { label: [`praxis.bench=${scope}`] } });
    await Promise.all(left.map((c) => d.getContainer(c.Id).remove({ force: true })));
  }
}

// Start times and memory of a two-node cluster lab (controlplane + node01, praxis-net, CoreDNS),
// measured in one run: cold provisioning (createInstance until every node is Ready and CoreDNS is
// available) against the same lab handed out by the warm pool; the memory one cluster holds once
// settled; and how many such clusters run side by side on this machine with every node Ready.
// Last line: cluster: cold_p50=<s> warm_p50=<s> ready_nodes=<n> mem_per_cluster_mb=<n> max_clusters=<n>
// Targets on a 2-core machine: cold <= 60 s, warm <= 1.5 s, >= 8 clusters side by side; the exit
// code is 1 when one is missed or the benchmark could not measure.
//
// It also prints the host's inotify instances in use: every user-namespaced node charges them to
// one shared count (fs.inotify.max_user_instances, 128 by default), about 31 a cluster
// (docs/kubernetes.md, "Memory and time").
import { randomBytes } from 'node:crypto';
import { readdir, readFile, readlink } from 'node:fs/promises';
import os from 'node:os';
import {
  createDockerClient,
  createInstance,
  destroyInstance,
  destroyScopeInstances,
  execInContainer,
  execInNode,
  InstancePool,
  type Instance,
} from '@praxis/sandbox';
import { percentile } from './percentile';

const docker = createDockerClient({ host: process.env.DOCKER_HOST });
const scope = `bench-cluster-${randomBytes(3).toString('hex')}`;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MAX = Number(process.env.BENCH_MAX_CLUSTERS ?? 10);
/** Stop adding clusters when the host's available memory would fall below this. */
const RESERVE_MB = Number(process.env.BENCH_RESERVE_MB ?? 2048);
const TARGETS = { coldS: 60, warmS: 1.5, clusters: 8 };

const lab = {
  nodes: [{ name: 'controlplane' }, { name: 'node01' }],
  segments: [{ name: 'lan' }],
  links: [
    { node: 'controlplane', segment: 'lan', address: '192.168.10.2/24', gateway: '192.168.10.1' },
    { node: 'node01', segment: 'lan', address: '192.168.10.3/24', gateway: '192.168.10.1' },
  ],
  cluster: { controlPlane: 'controlplane', workers: ['node01'] },
};

const secs = (ms: number) => (ms / 1000).toFixed(1);

async function readyNodes(inst: Instance): Promise<number> {
  const r = await execInNode(docker, inst.id, 'controlplane', ['sh', '-c', "kubectl get nodes --no-headers | awk '$2 == \"Ready\"' | wc -l"], { timeoutMs: 20_000 });
  return r.exitCode === 0 ? Number(r.stdout.trim()) : 0;
}

/** Memory the instance's node containers use (cgroup usage less inactive file cache), in MB. */
async function memoryMb(inst: Instance): Promise<number> {
  let bytes = 0;
  for (const n of inst.nodes) {
    const s = (await docker.getContainer(n.containerId).stats({ stream: false })) as { memory_stats: { usage?: number; stats?: Record<string, number> } };
    const inactive = s.memory_stats.stats?.total_inactive_file ?? s.memory_stats.stats?.inactive_file ?? 0;
    bytes += (s.memory_stats.usage ?? 0) - inactive;
  }
  return Math.round(bytes / 1024 / 1024);
}

/** inotify instances open on the host (every process's), or undefined when /proc cannot be read. */
async function inotifyInUse(): Promise<number | undefined> {
  let n = 0;
  try {
    for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
      const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
      for (const fd of fds) if ((await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')) === 'anon_inode:inotify') n += 1;
    }
  } catch {
    return undefined;
  }
  return n;
}

const inotifyLimit = () => readFile('/proc/sys/fs/inotify/max_user_instances', 'utf8').then((t) => Number(t.trim()), () => undefined);

async function cold(): Promise<{ ms: number; inst: Instance }> {
  const t = performance.now();
  const inst = await createInstance(docker, lab, { scope, owner: 'bench-cold' });
  return { ms: performance.now() - t, inst };
}

async function main(): Promise<boolean> {
  console.log(`cluster benchmark: 2-node kubeadm cluster lab, ${RUNS} cold and ${RUNS} warm starts, then up to ${MAX} clusters side by side`);
  console.log(`machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);

  const coldMs: number[] = [];
  let ready = 0;
  let mem = 0;
  for (let i = 0; i < RUNS; i++) {
    const { ms, inst } = await cold();
    coldMs.push(ms);
    if (i === 0) {
      ready = await readyNodes(inst);
      await new Promise((r) => setTimeout(r, 20_000)); // let the control plane settle
      mem = await memoryMb(inst);
    }
    console.log(`  cold ${i + 1}: ${secs(ms)} s${i === 0 ? ` (${ready} nodes Ready, ${mem} MB settled)` : ''}`);
    await destroyInstance(docker, inst.id);
  }

  // Warm: the pool holds one instance; a start takes it and waits until its nodes answer.
  const pool = new InstancePool(docker, { scope, onError: (_, e) => console.error(`  pool refill failed: ${(e as Error).message}`) });
  pool.setTarget(lab, 1);
  const warmMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await pool.settled();
    const t = performance.now();
    const inst = pool.take(lab);
    if (!inst) throw new Error('the pool had no instance after settling');
    await Promise.all(inst.nodes.map((n) => execInContainer(docker, n.containerId, ['true'])));
    warmMs.push(performance.now() - t);
    console.log(`  warm ${i + 1}: ${secs(warmMs[i]!)} s`);
    await destroyInstance(docker, inst.id);
  }
  await pool.close();

  // Side by side: add clusters one at a time (each bootstrap gets the CPU) while memory allows;
  // count those with every node Ready at the end.
  const running: Instance[] = [];
  const inotifyBefore = await inotifyInUse();
  while (running.length < MAX) {
    const freeMb = os.freemem() / 2 ** 20;
    if (freeMb - mem < RESERVE_MB) {
      console.log(`  stopping: ${Math.round(freeMb)} MB free, the next cluster needs about ${mem} MB`);
      break;
    }
    const batch = await Promise.allSettled([createInstance(docker, lab, { scope, owner: 'bench-many' })]);
    const ok = batch.filter((b): b is PromiseFulfilledResult<Instance> => b.status === 'fulfilled').map((b) => b.value);
    running.push(...ok);
    for (const b of batch) if (b.status === 'rejected') console.log(`  a cluster failed: ${(b.reason as Error).message}`);
    console.log(`  ${running.length} clusters running (load ${os.loadavg()[0]!.toFixed(1)}, ${Math.round(os.freemem() / 2 ** 20)} MB free)`);
    if (ok.length < batch.length) break;
  }
  await new Promise((r) => setTimeout(r, 10_000));
  let allReady = 0;
  for (const inst of running) if ((await readyNodes(inst)) === 2) allReady += 1;
  console.log(`  ${allReady} of ${running.length} clusters have both nodes Ready`);
  const inotifyAfter = await inotifyInUse();
  const limit = await inotifyLimit();
  if (inotifyBefore !== undefined && inotifyAfter !== undefined && running.length) {
    console.log(`  inotify instances: ${inotifyAfter} in use of fs.inotify.max_user_instances=${limit}, about ${Math.round((inotifyAfter - inotifyBefore) / running.length)} a cluster`);
  }

  const c50 = percentile(coldMs, 50);
  const w50 = percentile(warmMs, 50);
  console.log('\n              p50');
  console.log(`  cold     ${secs(c50).padStart(6)} s   (target <= ${TARGETS.coldS} s)`);
  console.log(`  warm     ${secs(w50).padStart(6)} s   (target <= ${TARGETS.warmS} s)`);
  console.log(`  memory   ${String(mem).padStart(6)} MB per cluster, ${allReady} clusters side by side (target >= ${TARGETS.clusters})`);
  const problems: string[] = [];
  if (c50 > TARGETS.coldS * 1000) problems.push(`cold ${secs(c50)} s > ${TARGETS.coldS} s`);
  if (w50 > TARGETS.warmS * 1000) problems.push(`warm ${secs(w50)} s > ${TARGETS.warmS} s`);
  if (ready !== 2) problems.push(`${ready} of 2 nodes Ready after a cold start`);
  if (allReady < TARGETS.clusters) problems.push(`${allReady} clusters side by side < ${TARGETS.clusters}`);
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`  targets: ${problems.length ? `MISSED (${problems.join('; ')})` : 'met'}; load at the end ${load}`);
  console.log(`cluster: cold_p50=${secs(c50)} warm_p50=${secs(w50)} ready_nodes=${ready} mem_per_cluster_mb=${mem} max_clusters=${allReady}`);
  return problems.length === 0;
}

try {
  if (!(await main())) process.exitCode = 1;
} catch (error) {
  console.error(`cluster benchmark failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await destroyScopeInstances(docker, scope);
}

// What the load benchmark prints about an attempt whose submit did not answer: where it is stuck.
// The attempt's row (status, the process grading it and whether that process is alive, how it
// ended, its error), and for each of its instances every container (state), whether Docker still
// answers an inspect of it (an exec into a node that raced its pause holds that inspect for ever
// on Docker 20.10), the execs it has and which still run, and the host's processes of that
// container (a runc exec that never started shows there, with its state). Every Docker call is
// bounded: diagnostics never hang the benchmark themselves.
import { readdirSync, readFileSync } from 'node:fs';
import { createDbClient, LOCK_SPACE } from '@praxis/db';
import { dockerCall, LABEL, type Docker } from '@praxis/sandbox';

const INSPECT_MS = 5_000;

/** One line per fact, indented under the attempt. */
export async function describeStuckSubmit(databaseUrl: string, docker: Docker, attemptId: string): Promise<string[]> {
  const out: string[] = [];
  const db = createDbClient(databaseUrl, { poolSize: 1 });
  try {
    const a = await db.attempt.findUnique({
      where: { id: attemptId },
      select: { status: true, workerId: true, endReason: true, submittedAt: true, gradedAt: true, error: true, instances: { select: { instanceId: true, lab: true, engineId: true } } },
    });
    if (!a) return [`attempt ${attemptId}: no such row`];
    const live = await db.$queryRaw<{ id: bigint }[]>`SELECT objid::bigint AS id FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = ${LOCK_SPACE.worker}::oid AND objsubid = 2`;
    const alive = new Set(live.map((r) => Number(r.id)));
    out.push(
      `attempt ${attemptId}: status ${a.status}, worker ${a.workerId ?? '-'}${a.workerId !== null ? (alive.has(a.workerId) ? ' (alive)' : ' (gone)') : ''}, ended ${a.endReason ?? '-'} at ${a.submittedAt?.toISOString() ?? '-'}, graded ${a.gradedAt?.toISOString() ?? '-'}${a.error ? `, error: ${a.error.slice(0, 300)}` : ''}; live workers ${[...alive].join(', ') || 'none'}`,
    );
    for (const inst of a.instances) out.push(...(await describeInstance(docker, inst.instanceId, inst.lab)));
  } catch (error) {
    out.push(`attempt ${attemptId}: diagnostics failed: ${(error as Error).message}`);
  } finally {
    await db.$disconnect().catch(() => undefined);
  }
  return out;
}

async function describeInstance(docker: Docker, instanceId: string, lab: string): Promise<string[]> {
  const out: string[] = [];
  const containers = await dockerCall(`list of instance ${instanceId}`, (abortSignal) => docker.listContainers({ all: true, filters: { label: [`${LABEL.instance}=${instanceId}`] }, abortSignal }), INSPECT_MS).catch(
    (error: Error) => error,
  );
  if (containers instanceof Error) return [`  instance ${instanceId} (lab ${lab}): ${containers.message}`];
  if (containers.length === 0) out.push(`  instance ${instanceId} (lab ${lab}): no containers left`);
  for (const c of containers) {
    const name = c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12);
    const role = c.Labels[LABEL.role] ?? '?';
    const inspected = await dockerCall(`inspect of ${name}`, (abortSignal) => docker.getContainer(c.Id).inspect({ abortSignal }), INSPECT_MS).catch((error: Error) => error);
    let execs = '';
    if (inspected instanceof Error) {
      execs = `; inspect: ${inspected.message} (its lock is held: an exec into it that never started?)`;
    } else {
      const ids = (inspected as unknown as { ExecIDs: string[] | null }).ExecIDs ?? [];
      const states = await Promise.all(
        ids.map(async (id) => {
          const e = await dockerCall(`exec inspect ${id}`, (abortSignal) => docker.getExec(id).inspect({ abortSignal }), INSPECT_MS).catch((error: Error) => error);
          if (e instanceof Error) return `${id.slice(0, 12)}: ${e.message}`;
          return `${id.slice(0, 12)} ${e.Running ? 'RUNNING' : `exit ${e.ExitCode}`} pid ${e.Pid} ${[e.ProcessConfig.entrypoint, ...e.ProcessConfig.arguments].join(' ').slice(0, 80)}`;
        }),
      );
      execs = `; ${ids.length} exec(s)${states.length ? `: ${states.join(' | ')}` : ''}`;
    }
    out.push(`  ${role} ${name}: ${c.State} (${c.Status})${execs}`);
    for (const p of hostProcessesOf(c.Id)) out.push(`    host process ${p}`);
  }
  return out;
}

/** Host processes whose command line names the container (its shim, runc execs), with their state (D, S, T...) and freezer state. */
function hostProcessesOf(containerId: string): string[] {
  const found: string[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return found;
  }
  for (const pid of pids) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      const freezer = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').find((l) => l.includes(':freezer:'))?.split(':')[2] ?? '';
      // A runc exec names the container; the `runc init` it starts is found by its cgroup.
      const runcInit = cmd.startsWith('runc init') && freezer.includes(containerId);
      if (!runcInit && (!cmd.includes(containerId) || cmd.includes('containerd-shim'))) continue;
      const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[0] ?? '?';
      found.push(`${pid} [${state}] ${cmd.slice(0, 160)}${freezer ? ` (freezer ${freezer})` : ''}`);
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

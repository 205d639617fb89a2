// The spoof part of the authoring test: every spoof fixture of a lab (how a cheating learner would
// fake a task) runs on fresh machines of its own: the solutions of the tasks it builds on, the
// cheater's steps, the proof that the fake shows (its symptom), then the checks it targets, which
// must still fail. Fresh machines per fixture, because a cheater's leftovers (a killed process, a
// daemon, a moved interface) cannot be undone reliably, and proof that depends on an undo is no
// proof. Each fixture's instance is torn down, also on failure.
import type { Docker, ImageOptions } from '@praxis/sandbox';
import { planPrerequisites, type Lab, type Spoof, type SpoofClass, type TaskQuestion } from '@praxis/labs';
import { planFreshMachines, type FreshMachines } from './fresh-machines';
import { mapLimit } from './grade-attempt';
import { gradeQuestion } from './grade-question';
import { runInNodes } from './run-in-nodes';
import { runStageStep } from './run-stage-setup';
import { runScript, type GradeContext } from './run-check';

export interface SpoofResult {
  /** The task the fixture belongs to. */
  taskId: string;
  spoofId: string;
  class: SpoofClass;
  summary: string;
  /**
   * held: every targeted check still fails (what a lab needs); fooled: a targeted check passed;
   * not staged: the cheater's steps failed or the symptom did not show, so the fixture proves
   * nothing; error: the machines could not be made or read.
   */
  result: 'held' | 'fooled' | 'not staged' | 'error';
  /** Targeted tasks whose checks passed. */
  fooled: string[];
  detail: string;
  durationMs: number;
}

export interface SpoofRunOptions extends ImageOptions {
  scope: string;
  timeoutMs?: number;
  /** Fixtures run at once, each on its own instance (default 2). */
  concurrency?: number;
  /** Told about every instance made for a fixture (live) and removed (not live). */
  onInstance?: (instanceId: string, live: boolean, made?: Promise<void>) => void;
  /** Once aborted, no more fresh machines are made (fresh-machines.ts). */
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /** Where the instances come from (made ahead, shared with the isolated tasks); by default each is made as its fixture starts. */
  machines?: FreshMachines;
}


/** Every spoof fixture of the lab, in question order. */
export function spoofsOf(lab: Lab): { task: TaskQuestion; spoof: Spoof }[] {
  return lab.questions.flatMap((q) => (q.kind === 'task' ? (q.spoofs ?? []).map((spoof) => ({ task: q, spoof })) : []));
}

async function runSpoof(docker: Docker, lab: Lab, task: TaskQuestion, spoof: Spoof, machines: FreshMachines, options: SpoofRunOptions): Promise<SpoofResult> {
  const started = performance.now();
  const result = (r: SpoofResult['result'], detail: string, fooled: string[] = []): SpoofResult => ({
    taskId: task.id,
    spoofId: spoof.id,
    class: spoof.class,
    summary: spoof.summary,
    result: r,
    fooled,
    detail,
    durationMs: Math.round(performance.now() - started),
  });
  const byId = new Map(lab.questions.map((q) => [q.id, q]));
  const lease = machines.take();
  const { instanceId } = lease;
  try {
    await lease.ready;
    // Graders start on first use: a fixture often checks only some of the nodes.
    const ctx: GradeContext = { docker, instanceId, variables: lab.variables, timeoutMs: options.timeoutMs, imagesDir: options.imagesDir, baseImage: options.baseImage };

    // The honest part: the task's stage chain (unlocking solutions, stage setups), then `after`.
    for (const step of planPrerequisites(lab, task.id, spoof.after)) {
      if (step.kind === 'solve' && byId.get(step.taskId)?.kind !== 'task') return result('error', `"${step.taskId}" is not a task`);
      const failed = await runStageStep(docker, lab, instanceId, step);
      if (failed) return result('error', failed);
    }
    const failed = await runInNodes(docker, lab, instanceId, spoof.steps, 'step');
    if (failed) return result('not staged', `the cheater's ${failed}`);
    if (spoof.symptom) {
      const shown = await runScript(ctx, spoof.symptom);
      if (!shown.passed) {
        const why = shown.nodes.flatMap((n) => n.failures).join('; ') || shown.nodes.map((n) => n.error?.message ?? `exit ${n.exitCode}`).join('; ');
        return result('not staged', `its symptom does not show (${spoof.symptom.source}: ${why}), so it proves nothing`);
      }
    }
    const fooled: string[] = [];
    const errors: string[] = [];
    for (const id of spoof.fails) {
      const q = byId.get(id);
      if (q?.kind !== 'task') return result('error', `"${id}" is not a task`);
      const graded = await gradeQuestion(ctx, q, undefined);
      if (graded.error) errors.push(`${id}: ${graded.error.message}`);
      else if (graded.passed) fooled.push(id);
    }
    if (fooled.length) return result('fooled', `it makes the check of ${fooled.map((f) => `"${f}"`).join(', ')} pass on machines where the task was faked`, fooled);
    if (errors.length) return result('error', `the targeted check could not run: ${errors.join('; ')}`);
    return result('held', '');
  } catch (error) {
    return result('error', (error as Error).message);
  } finally {
    await machines.release(lease);
  }
}

/**
 * Runs every spoof fixture of the lab, each on fresh machines: `concurrency` at a time for a Linux
 * lab. A cluster lab's fixtures run one at a time whatever was asked: each is a whole kubeadm
 * bootstrap (about a minute of CPU and 500 MB), and several at once on a small machine only make
 * each slower and risk the kernel killing one (docs/kubernetes.md, "Memory and time"); with
 * `concurrency` 2 or more the next fixture's cluster is made while one runs (fresh-machines.ts).
 */
export async function testSpoofs(docker: Docker, lab: Lab, options: SpoofRunOptions): Promise<SpoofResult[]> {
  const all = spoofsOf(lab);
  const plan = planFreshMachines(docker, lab, all.length, options.concurrency ?? 2, options);
  const machines = options.machines ?? plan.machines;
  let done = 0;
  try {
    return await mapLimit(all, plan.jobs, async ({ task, spoof }) => {
      const r = await runSpoof(docker, lab, task, spoof, machines, options);
      done += 1;
      options.onProgress?.(`spoof ${done}/${all.length}: ${task.id}/${spoof.id} ${r.result}`);
      return r;
    });
  } finally {
    if (!options.machines) await machines.close();
  }
}

// The isolated part of the authoring test (`praxis lab test --isolated`): every task alone, on
// fresh machines of its own: the unlocking solutions and setups of its stage, the solutions of
// the tasks it declares it builds on (`after:`), its own solution, then its check, which must pass. The cumulative run (all solutions, then all
// checks) cannot see a task whose own solution is wrong while a later task's solution repeats the
// missing step; this run can. Each task's instance is torn down, also on failure.
import type { Docker, ImageOptions } from '@praxis/sandbox';
import { planPrerequisites, type Lab, type TaskQuestion } from '@praxis/labs';
import { planFreshMachines, type FreshMachines } from './fresh-machines';
import { mapLimit } from './grade-attempt';
import { gradeQuestion } from './grade-question';
import { runInNodes } from './run-in-nodes';
import { runStageStep } from './run-stage-setup';
import type { GradeContext } from './run-check';

export interface IsolatedResult {
  taskId: string;
  /** passed: alone, its prerequisites' and own solutions make its check pass. */
  result: 'passed' | 'failed' | 'solve failed' | 'error' | 'no solution';
  detail: string;
  durationMs: number;
}

export interface IsolatedRunOptions extends ImageOptions {
  scope: string;
  timeoutMs?: number;
  /** Tasks tested at once, each on its own instance (default 2). */
  concurrency?: number;
  onInstance?: (instanceId: string, live: boolean, made?: Promise<void>) => void;
  /** Once aborted, no more fresh machines are made (fresh-machines.ts). */
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /** Where the instances come from (made ahead, shared with the spoof fixtures); by default each is made as its task starts. */
  machines?: FreshMachines;
}

async function runTaskAlone(docker: Docker, lab: Lab, task: TaskQuestion, machines: FreshMachines, options: IsolatedRunOptions): Promise<IsolatedResult> {
  const started = performance.now();
  const result = (r: IsolatedResult['result'], detail: string): IsolatedResult => ({ taskId: task.id, result: r, detail, durationMs: Math.round(performance.now() - started) });
  if (task.solve.length === 0) return result('no solution', '');
  const byId = new Map(lab.questions.map((q) => [q.id, q]));
  const lease = machines.take();
  const { instanceId } = lease;
  try {
    await lease.ready;
    const ctx: GradeContext = { docker, instanceId, variables: lab.variables, timeoutMs: options.timeoutMs, imagesDir: options.imagesDir, baseImage: options.baseImage };
    // Its stage's chain (unlocking solutions, stage setups) first, then its after: solutions.
    for (const step of planPrerequisites(lab, task.id, task.after ?? [])) {
      if (step.kind === 'solve' && byId.get(step.taskId)?.kind !== 'task') return result('error', `"${step.taskId}" is not a task`);
      const failed = await runStageStep(docker, lab, instanceId, step);
      if (failed) return result('solve failed', failed);
    }
    const failed = await runInNodes(docker, lab, instanceId, task.solve, 'solve');
    if (failed) return result('solve failed', failed);
    const graded = await gradeQuestion(ctx, task, undefined);
    if (graded.error) return result('error', graded.error.message);
    if (graded.passed) return result('passed', '');
    const after = task.after?.length ? `after ${task.after.map((a) => `"${a}"`).join(', ')}` : 'with no prerequisites (after:)';
    return result(
      'failed',
      `alone (${after}) its own solution does not make its check pass: ${graded.reason || 'no reason given'}; the cumulative run hid it (a later solution repeats a missing step), or the task needs "after:"`,
    );
  } catch (error) {
    return result('error', (error as Error).message);
  } finally {
    await machines.release(lease);
  }
}

/**
 * Tests every task of the lab alone, each on fresh machines: `concurrency` at a time for a Linux
 * lab; for a cluster lab one at a time, the next task's cluster made meanwhile (fresh-machines.ts).
 */
export async function testTasksAlone(docker: Docker, lab: Lab, options: IsolatedRunOptions): Promise<IsolatedResult[]> {
  const tasks = lab.questions.filter((q): q is TaskQuestion => q.kind === 'task');
  const plan = planFreshMachines(docker, lab, tasks.filter((t) => t.solve.length > 0).length, options.concurrency ?? 2, options);
  const machines = options.machines ?? plan.machines;
  let done = 0;
  try {
    return await mapLimit(tasks, plan.jobs, async (task) => {
      const r = await runTaskAlone(docker, lab, task, machines, options);
      done += 1;
      options.onProgress?.(`alone ${done}/${tasks.length}: ${task.id} ${r.result}`);
      return r;
    });
  } finally {
    if (!options.machines) await machines.close();
  }
}

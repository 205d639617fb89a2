// Running a lab stage's setup (lab.yaml `stages[].setup`) in the nodes of an instance when the
// stage unlocks: each script as setup runs (by its `#!` interpreter, sh without one, as root,
// lab variables in its environment), in order, the nodes of one script at once; the first
// failure comes back as a sentence naming the script, the node and its last lines.
import { nodeContainerName, runSetupText, setupOutputTail, type Docker } from '@praxis/sandbox';
import { stagesOf, type Lab, type LabStage, type StageStep } from '@praxis/labs';
import { runInNodes } from './run-in-nodes';

export const STAGE_SETUP_TIMEOUT_MS = 60_000;

export interface StageSetupProgress {
  /** 1-based script number, of `of`. */
  step: number;
  of: number;
  source: string;
  nodes: string[];
}

/** Runs the stage's setup scripts; undefined when all exited 0, else what failed. */
export async function runStageSetup(
  docker: Docker,
  lab: Pick<Lab, 'variables'>,
  instanceId: string,
  stage: LabStage,
  onProgress?: (p: StageSetupProgress) => void,
): Promise<string | undefined> {
  for (const [i, s] of stage.setup.entries()) {
    onProgress?.({ step: i + 1, of: stage.setup.length, source: s.source, nodes: s.nodes });
    const results = await Promise.all(
      s.nodes.map(async (node) => ({
        node,
        r: await runSetupText(docker, nodeContainerName(instanceId, node), node, { name: s.source.replace(/:\d+$/, '').replace(/^lab\.yaml$/, 'stage-setup.sh'), text: s.text, env: lab.variables }, s.timeoutMs ?? STAGE_SETUP_TIMEOUT_MS),
      })),
    );
    const failed = results.find((x) => x.r.exitCode !== 0);
    if (failed) {
      const out = setupOutputTail(failed.r, 3);
      return `setup ${s.source} of stage "${stage.id}" on ${failed.node} ${failed.r.timedOut ? 'timed out' : `exited with ${failed.r.exitCode}`}${out ? `: ${out}` : ''}`;
    }
  }
  return undefined;
}

/**
 * Runs a plan of the authoring test (planCumulative / planPrerequisites of @praxis/labs): task
 * solutions and stage setups in order. Stops at the first failure and says which step failed.
 */
export async function runStagePlan(docker: Docker, lab: Lab, instanceId: string, steps: readonly StageStep[]): Promise<string | undefined> {
  for (const step of steps) {
    const failed = await runStageStep(docker, lab, instanceId, step);
    if (failed) return failed;
  }
  return undefined;
}

/** One step of a plan; undefined when it ran cleanly. */
export async function runStageStep(docker: Docker, lab: Lab, instanceId: string, step: StageStep): Promise<string | undefined> {
  if (step.kind === 'stage') {
    const stage = stagesOf(lab).find((s) => s.id === step.stageId);
    return stage ? runStageSetup(docker, lab, instanceId, stage) : `"${step.stageId}" is not a stage`;
  }
  const q = lab.questions.find((x) => x.id === step.taskId);
  if (q?.kind !== 'task') return `"${step.taskId}" is not a task`;
  return runInNodes(docker, lab, instanceId, q.solve, `the solution of "${q.id}":`);
}

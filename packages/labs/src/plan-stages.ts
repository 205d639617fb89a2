// Stages of a lab (lab.yaml `stages`): which stage a question belongs to, which stages a set of
// passed tasks unlocks, and the order in which the authoring test runs solutions and stage setups
// so that a later stage's tasks are proved on the machines its setup made (cumulatively, alone,
// and under a spoof fixture). Pure functions over a loaded Lab, shared by the grader and the API.
import type { Lab, LabStage, Question } from './lab.types';

/** One step of the authoring test's plan: a task's solution, or a stage's setup. */
export type StageStep = { kind: 'solve'; taskId: string } | { kind: 'stage'; stageId: string };

export function stagesOf(lab: Pick<Lab, 'stages'>): LabStage[] {
  return lab.stages ?? [];
}

/** The stage a question belongs to (undefined: open from the start). */
export function stageOfQuestion(lab: Pick<Lab, 'stages'>, question: Pick<Question, 'stage'>): LabStage | undefined {
  return question.stage === undefined ? undefined : stagesOf(lab).find((s) => s.id === question.stage);
}

/** 0 for no stage, else the stage's 1-based place in `stages`. */
function stageRank(lab: Lab, q: Question): number {
  return q.stage === undefined ? 0 : stagesOf(lab).findIndex((s) => s.id === q.stage) + 1;
}

/** Stages that `passed` (task ids whose Check passed) unlocks, in the lab's order. */
export function stagesUnlockedBy(lab: Pick<Lab, 'stages'>, passed: ReadonlySet<string>): LabStage[] {
  return stagesOf(lab).filter((s) => s.unlock.every((id) => passed.has(id)));
}

/**
 * The cumulative run: every task's solution, tasks of earlier stages first (question order
 * within a stage), each stage's setup as soon as the solutions of all its unlocking tasks ran
 * (and at the latest before its first task).
 */
export function planCumulative(lab: Lab): StageStep[] {
  const tasks = lab.questions.filter((q) => q.kind === 'task').map((q, i) => ({ q, i, rank: stageRank(lab, q) }));
  tasks.sort((a, b) => a.rank - b.rank || a.i - b.i);
  const steps: StageStep[] = [];
  const solved = new Set<string>();
  const setUp = new Set<string>();
  const runStage = (s: LabStage) => {
    if (setUp.has(s.id)) return;
    setUp.add(s.id);
    steps.push({ kind: 'stage', stageId: s.id });
  };
  for (const { q } of tasks) {
    const own = stageOfQuestion(lab, q);
    if (own) runStage(own);
    steps.push({ kind: 'solve', taskId: q.id });
    solved.add(q.id);
    for (const s of stagesUnlockedBy(lab, solved)) runStage(s);
  }
  return steps;
}

/**
 * What runs before a task's own solution when it is tested alone: its stage's chain (the
 * unlocking tasks' own prerequisites and solutions, then the stage's setup), then its `after`
 * tasks' solutions in their order. Labs without stages get exactly `after`. Nothing runs twice.
 */
export function planPrerequisites(lab: Lab, taskId: string, after: readonly string[]): StageStep[] {
  const byId = new Map(lab.questions.map((q) => [q.id, q]));
  const steps: StageStep[] = [];
  const solved = new Set<string>();
  const setUp = new Set<string>();
  const solve = (id: string) => {
    if (solved.has(id)) return;
    solved.add(id);
    steps.push({ kind: 'solve', taskId: id });
  };
  const chain = (stage: LabStage | undefined, depth: number) => {
    if (!stage || setUp.has(stage.id) || depth > 20) return;
    setUp.add(stage.id);
    for (const id of stage.unlock) {
      const u = byId.get(id);
      if (!u || u.kind !== 'task') continue;
      chain(stageOfQuestion(lab, u), depth + 1);
      for (const a of u.after ?? []) solve(a);
      solve(id);
    }
    steps.push({ kind: 'stage', stageId: stage.id });
  };
  const task = byId.get(taskId);
  if (task) chain(stageOfQuestion(lab, task), 0);
  // Every task `after` names, the task itself included: a spoof fixture may build on its own
  // task's solution (lab 03's decoy-red breaks the cable host-on-bridge's solution plugged in).
  for (const id of after) solve(id);
  return steps;
}

// Stages for the importers: a later step's (Killercoda) or challenge's (Instruqt) setup runs when
// that step opens on the source platform, after the previous step's check passed. Here it becomes
// the setup of a stage that the latest task unlocks; the questions after it belong to that stage.
// Shared by import-killercoda.ts and import-instruqt.ts so both map the same way.
import { slugify, type DraftScript, type DraftStage } from './write-lab';

export interface StagePlan {
  /**
   * Adds a later part's setup script (no shebang) for `node` to the stage the latest task unlocks:
   * the stage still without questions when there is one (several setups of one opening step),
   * else a new stage `<prefix>-<n>`. Returns that stage and the task unlocking it, or undefined
   * when no task came before (the caller runs the script at the start and flags it).
   */
  addSetup(node: string, body: string, n: number, title: string): { stage: DraftStage; unlockedBy: string } | undefined;
  /** The stage of the next question (the latest opened); `unlocks` when it is a task with a check. */
  assign(questionId: string, unlocks: boolean): string | undefined;
  /** The stages that got questions, and the setup of those that got none (to run at the start). */
  finish(): { stages: DraftStage[]; orphans: { stage: DraftStage; setup: DraftScript[] }[] };
}

export function planStages(prefix: string): StagePlan {
  const stages: DraftStage[] = [];
  const used = new Set<string>();
  const taken = new Set<string>();
  let current: DraftStage | undefined;
  let lastTask: string | undefined;
  return {
    addSetup(node, body, n, title) {
      if (!lastTask) return undefined;
      if (!current || used.has(current.id)) {
        current = { id: slugify(`${prefix}-${n}`, taken, `${prefix}-${n}`), title, unlock: [lastTask], setup: [] };
        stages.push(current);
      }
      const script = current.setup.find((s) => s.node === node);
      if (script) script.text += `\n${body}`;
      else current.setup.push({ node, text: `#!/bin/bash\n${body}` });
      return { stage: current, unlockedBy: current.unlock[0]! };
    },
    assign(questionId, unlocks) {
      if (current) used.add(current.id);
      if (unlocks) lastTask = questionId;
      return current?.id;
    },
    finish() {
      return {
        stages: stages.filter((st) => used.has(st.id)),
        orphans: stages.filter((st) => !used.has(st.id)).map((stage) => ({ stage, setup: stage.setup })),
      };
    },
  };
}

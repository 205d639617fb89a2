// @praxis/grader: grading lab questions against a live instance from trusted grader containers,
// and the authoring test that proves a lab (checks fail fresh, pass after the solutions).
// The grader's containers are the sandbox's (the one owner of Docker); re-exported for callers of the grader.
export {
  GraderError,
  ensureGrader,
  startGraders,
  findGraders,
  forgetGrader,
  discardGraders,
  graderContainerName,
  GRADER_CAPS,
  GRADER_ROLE,
  NODE_PROC_DIR,
  type GraderOptions,
} from '@praxis/sandbox';
export { buildCheckScript, newProbeIdentity, type ProbeIdentity } from './check-prelude';
export {
  runScript,
  runScriptOnNode,
  parseFailLines,
  DEFAULT_CHECK_TIMEOUT_MS,
  DEFAULT_MAX_OUTPUT_BYTES,
  type GradeContext,
  type NodeRun,
  type ScriptRun,
} from './run-check';
export { normalizeAnswer, answerMatches } from './normalize-answer';
export { gradeChoice, type ChoiceVerdict } from './grade-choice';
export { gradeQuestion, resolveExpectedAnswer, type QuestionResult, type Submission, type ExpectedValue } from './grade-question';
export { gradeAttempt, type AttemptResult, type GradeAttemptOptions } from './grade-attempt';
export { testLab, testLabs, testLoadedLab, type LabTestReport, type LabTestRow, type TestLabOptions } from './test-lab';
export { LabTestAbortedError, RunInstances, abortRun } from './run-instances';
export { testSpoofs, spoofsOf, type SpoofResult, type SpoofRunOptions } from './test-spoofs';
export { testTasksAlone, type IsolatedResult, type IsolatedRunOptions } from './test-isolated';
export { FreshMachines, planFreshMachines, type FreshLease, type FreshMachinesOptions } from './fresh-machines';
export { formatLabTestReport } from './format-lab-test';
export { runStageSetup, runStagePlan, STAGE_SETUP_TIMEOUT_MS, type StageSetupProgress } from './run-stage-setup';
export { gradeForAuthor, formatAuthorGrades, type AuthorGradeRow, type GradeForAuthorOptions } from './grade-for-author';

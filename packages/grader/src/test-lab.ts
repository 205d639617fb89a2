// The authoring test (`praxis lab test`): provision a lab, prove every task's check fails on the
// fresh machines, every computed answer resolves to its reference, every solve makes its check
// pass (a later stage's setup runs once its unlocking tasks' solutions ran, and its questions
// are tested fresh after it); then tear down, and prove every spoof fixture (a cheater's fake) leaves its checks failing,
// each on fresh machines of its own (test-spoofs.ts; a cluster lab's next fresh cluster is made
// while the current one is in use: fresh-machines.ts). Any surprise makes the report not ok.
// Exported for the CLI, the API and the integration tests.
import type { Docker } from '@praxis/sandbox';
import { createInstance, destroyInstance, newInstanceId, prepareLabImages, type ImageOptions } from '@praxis/sandbox';
import { findLabDirs, loadLab, planCumulative, LAB_FILE, type Lab, type LabIssue, type Question } from '@praxis/labs';
import { gradeQuestion, resolveExpectedAnswer } from './grade-question';
import { mapLimit } from './grade-attempt';
import { startGraders } from '@praxis/sandbox';
import { answerMatches } from './normalize-answer';
import { runInNodes } from './run-in-nodes';
import { runStageStep } from './run-stage-setup';
import { runScript, type GradeContext } from './run-check';
import { planFreshMachines } from './fresh-machines';
import { abortRun, RunInstances } from './run-instances';
import { spoofsOf, testSpoofs, type SpoofResult, type SpoofRunOptions } from './test-spoofs';
import { testTasksAlone, type IsolatedResult, type IsolatedRunOptions } from './test-isolated';

export interface LabTestRow {
  questionId: string;
  kind: Question['kind'];
  /** Task checks on fresh machines: should be 'failed'. */
  fresh?: 'failed' | 'passed' | 'error';
  /** Task checks after every solve ran: should be 'passed'. */
  solved?: 'failed' | 'passed' | 'error' | 'solve failed';
  /** Answers: the computed value, or the fixed one. */
  answer?: string;
  ok: boolean;
  /** Why the row is not ok. */
  detail: string;
  /**
   * What the author should fix although the row is ok, e.g. a check that fails on fresh machines
   * without a `FAIL:` line (the learner would read no reason).
   */
  warnings: string[];
  /** Tasks: what the learner reads on the fresh machines (the `FAIL:` lines, one per reason). */
  freshReasons?: string[];
  /** Tasks: what the learner reads after the solutions ran, when the check still fails. */
  solvedReasons?: string[];
  durationMs: number;
  /** Tasks, with `isolated`: the task alone on fresh machines (its `after:` solutions, its own, its check). */
  alone?: IsolatedResult['result'];
  /** Tasks: the task's spoof fixtures, each run on fresh machines (absent when spoofs were skipped). */
  spoofs?: SpoofResult[];
}

export interface LabTestReport {
  dir: string;
  labId: string;
  ok: boolean;
  /** Validation errors (then nothing was provisioned). */
  errors: LabIssue[];
  /** A failure outside any question (provisioning, teardown). */
  failure?: string;
  rows: LabTestRow[];
  provisionMs: number;
  durationMs: number;
  /** Time spent on spoof fixtures (0 when skipped or there are none). */
  spoofMs: number;
  /** Time spent testing each task alone (with `isolated`). */
  isolatedMs?: number;
  /** Points of tasks whose check a spoof fixture made pass, of all task points (when spoofs ran). */
  fakedPoints?: { faked: number; of: number };
  /** The lab's instance, left running for the author (`keep`); remove it with `praxis sandbox down`. */
  keptInstanceId?: string;
}

export interface TestLabOptions extends ImageOptions {
  /** Sandbox scope of the instance (label praxis.scope); default "lab-test". */
  scope?: string;
  /** Default check time limit (ms). */
  timeoutMs?: number;
  onProgress?: (message: string) => void;
  /** Called with the rows once the fresh-machine phase is done, before the solutions run. */
  onRows?: (rows: readonly LabTestRow[]) => void;
  /** Id of the instance to create, when the caller must know it before provisioning (the API's collector). */
  instanceId?: string;
  /**
   * Also test every task alone on fresh machines (its `after:` tasks' solutions, its own, its
   * check), `spoofConcurrency` at a time: catches a solution a later one hides.
   */
  isolated?: boolean;
  /** Run the spoof fixtures (default true). */
  spoofs?: boolean;
  /** Spoof fixtures run at once, each on its own instance (default 2). */
  spoofConcurrency?: number;
  /**
   * Leave the lab's instance running after the solutions (`'failure'`: only when the lab's own
   * test failed; `'always'`), for `praxis lab grade` and a shell. Spoof instances are removed.
   */
  keep?: 'failure' | 'always';
  /** Told about every instance made for a spoof fixture (live) and removed (not live). */
  onInstance?: (instanceId: string, live: boolean) => void;
  /**
   * Stops the run (Ctrl-C in `praxis lab test`): every instance it made (the lab's own, kept or
   * not, and the fresh ones) is destroyed, and the run rejects with LabTestAbortedError naming them.
   */
  signal?: AbortSignal;
}


export async function testLab(docker: Docker, dir: string, options: TestLabOptions = {}): Promise<LabTestReport> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const loaded = await loadLab(dir);
  if (!loaded.ok) {
    return { dir: loaded.dir, labId: '', ok: false, errors: loaded.errors, rows: [], provisionMs: 0, durationMs: elapsed(), spoofMs: 0 };
  }
  return testLoadedLab(docker, loaded.lab, options, started);
}

/** The same test for a lab already loaded and validated (e.g. as stored in a bank version). */
export async function testLoadedLab(docker: Docker, lab: Lab, options: TestLabOptions = {}, started = performance.now()): Promise<LabTestReport> {
  if (!options.signal) return runLabTest(docker, lab, options, started);
  const instances = new RunInstances((id) => destroyInstance(docker, id));
  return abortRun(runLabTest(docker, lab, options, started, instances), options.signal, instances);
}

async function runLabTest(docker: Docker, lab: Lab, options: TestLabOptions, started: number, instances?: RunInstances): Promise<LabTestReport> {
  const elapsed = () => Math.round(performance.now() - started);
  const report: LabTestReport = { dir: lab.dir, labId: lab.id, ok: false, errors: [], rows: [], provisionMs: 0, durationMs: 0, spoofMs: 0 };
  const say = (m: string) => options.onProgress?.(`${lab.id}: ${m}`);

  // Isolated tasks and spoof fixtures both run on fresh machines of their own, set up alike.
  const onFreshMachines = {
    scope: options.scope ?? 'lab-test',
    timeoutMs: options.timeoutMs,
    concurrency: options.spoofConcurrency,
    imagesDir: options.imagesDir,
    baseImage: options.baseImage,
    onInstance: (id: string, live: boolean, made?: Promise<void>) => {
      if (live) instances?.add(id, made);
      else instances?.remove(id);
      options.onInstance?.(id, live);
    },
    signal: options.signal,
    onProgress: say,
  };
  // A cluster lab's fresh clusters, isolated tasks' and fixtures' alike, come from one queue that
  // makes the next while the current one is in use (with a concurrency of 2 or more).
  const freshJobs =
    (options.isolated ? lab.questions.filter((q) => q.kind === 'task' && q.solve.length > 0).length : 0) +
    (options.spoofs !== false ? spoofsOf(lab).length : 0);
  const shared = lab.topology.cluster && freshJobs > 0 ? planFreshMachines(docker, lab, freshJobs, options.spoofConcurrency ?? 2, onFreshMachines).machines : undefined;
  const machines = { ...onFreshMachines, machines: shared };

  let instanceId: string | undefined;
  try {
    // A lab that names Debian packages gets its lab image first (built once, with apt's steps
    // shown; a later run finds it by its content tag), so a bad package name fails the test here.
    await prepareLabImages(docker, lab.topology, { imagesDir: options.imagesDir, baseImage: options.baseImage, lab: lab.id, onProgress: say });
    options.signal?.throwIfAborted();
    say('provisioning');
    instanceId = options.instanceId ?? newInstanceId();
    const making = createInstance(docker, lab.topology, {
      scope: options.scope ?? 'lab-test',
      owner: 'lab-test',
      ttlSeconds: 30 * 60,
      instanceId,
      imagesDir: options.imagesDir,
      baseImage: options.baseImage,
    }).then(async (made) => {
      await startGraders(docker, made.id, made.nodes.map((n) => n.name), options);
      return made;
    });
    // Made once its graders run too: a stopped run destroys it after that (nothing half-made).
    instances?.add(instanceId, making);
    const instance = await making;
    report.provisionMs = elapsed();
    const ctx: GradeContext = { docker, instanceId: instance.id, variables: lab.variables, timeoutMs: options.timeoutMs, imagesDir: options.imagesDir, baseImage: options.baseImage };

    say('fresh machines: checks must fail, answers must resolve');
    // A later stage's questions are tested "fresh" when their stage opens (after its setup), as
    // the learner first sees them; the rest now.
    const rows = new Map<string, LabTestRow>();
    const inOrder = () => lab.questions.flatMap((q) => rows.get(q.id) ?? []);
    const open = lab.questions.filter((q) => q.stage === undefined);
    (await mapLimit(open, 4, (q) => testFresh(ctx, q))).forEach((r) => rows.set(r.questionId, r));
    report.rows = inOrder();
    options.onRows?.(report.rows);

    // A cluster lab's first fresh cluster boots while the solutions run and their checks are
    // graded (after the answers, whose scripts have the shortest time limits).
    shared?.prime();
    say('running the solutions');
    const solveErrors = await runSolutions(docker, lab, instance.id, async (stageId, failed) => {
      const mine = lab.questions.filter((q) => q.stage === stageId);
      say(failed ? `stage "${stageId}": ${failed}` : `stage "${stageId}" set up: its checks must fail, its answers must resolve`);
      const staged = failed
        ? mine.map((q): LabTestRow => ({ questionId: q.id, kind: q.kind, ok: false, detail: failed, warnings: [], durationMs: 0 }))
        : await mapLimit(mine, 4, (q) => testFresh(ctx, q));
      staged.forEach((r) => rows.set(r.questionId, r));
    }, options.signal);
    // A stage no plan opened (its unlocking tasks have no solution) is tested as it is.
    const unopened = lab.questions.filter((q) => !rows.has(q.id));
    (await mapLimit(unopened, 4, (q) => testFresh(ctx, q))).forEach((r) => rows.set(r.questionId, r));
    report.rows = inOrder();

    say('after the solutions: checks must pass');
    await mapLimit(lab.questions, 4, async (q) => {
      if (q.kind !== 'task') return;
      const row = report.rows.find((r) => r.questionId === q.id)!;
      const t0 = performance.now();
      if (q.solve.length === 0) {
        row.warnings.push('the task has no solution (solve:), so the test cannot prove its check passes');
      } else if (solveErrors.has(q.id)) {
        row.solved = 'solve failed';
        row.ok = false;
        row.detail = join(row.detail, solveErrors.get(q.id)!);
      } else {
        const result = await gradeQuestion(ctx, q, undefined);
        row.solved = result.error ? 'error' : result.passed ? 'passed' : 'failed';
        if (!result.passed) {
          row.solvedReasons = result.reason ? result.reason.split('\n') : [];
          row.ok = false;
          row.detail = join(row.detail, `after the solutions the check still fails: ${result.error?.message ?? result.reason}`);
        }
      }
      row.durationMs += Math.round(performance.now() - t0);
    });
  } catch (error) {
    report.failure = (error as Error).message;
  } finally {
    const failed = Boolean(report.failure) || !report.rows.every((r) => r.ok);
    if (instanceId && (options.keep === 'always' || (options.keep === 'failure' && failed))) report.keptInstanceId = instanceId;
    else if (instanceId) {
      await destroyInstance(docker, instanceId).catch((e: Error) => (report.failure ??= `teardown failed: ${e.message}`));
      instances?.remove(instanceId);
    }
  }
  try {
    await testOnFreshMachines(docker, lab, options, report, machines, say);
  } finally {
    await shared?.close();
  }
  report.ok = !report.failure && report.rows.length === lab.questions.length && report.rows.every((r) => r.ok);
  report.durationMs = elapsed();
  return report;
}

/** The isolated tasks (with `isolated`) and the spoof fixtures, each on fresh machines. */
async function testOnFreshMachines(docker: Docker, lab: Lab, options: TestLabOptions, report: LabTestReport, onFreshMachines: IsolatedRunOptions & SpoofRunOptions, say: (m: string) => void) {
  if (options.signal?.aborted) return;
  if (options.isolated && !report.failure) {
    const t0 = performance.now();
    say('each task alone, on fresh machines');
    const results = await testTasksAlone(docker, lab, onFreshMachines);
    for (const r of results) {
      const row = report.rows.find((x) => x.questionId === r.taskId);
      if (!row) continue;
      row.alone = r.result;
      row.durationMs += r.durationMs;
      if (r.result === 'passed' || r.result === 'no solution') continue;
      row.ok = false;
      row.detail = join(row.detail, r.result === 'failed' ? r.detail : `alone: ${r.result}: ${r.detail}`);
    }
    report.isolatedMs = Math.round(performance.now() - t0);
  }
  // After the main instance is gone, so a caller counting one instance per run stays right when
  // fixtures run one at a time (with a concurrency of 1 nothing is made ahead).
  if (options.spoofs !== false && !report.failure && spoofsOf(lab).length > 0) {
    const t0 = performance.now();
    say(`spoof fixtures: ${spoofsOf(lab).length}, each on fresh machines`);
    const results = await testSpoofs(docker, lab, onFreshMachines);
    applySpoofResults(lab, report.rows, results);
    report.spoofMs = Math.round(performance.now() - t0);
    const points = new Map(lab.questions.map((q) => [q.id, q.points]));
    const faked = new Set(results.flatMap((r) => r.fooled));
    report.fakedPoints = {
      faked: [...faked].reduce((n, id) => n + (points.get(id) ?? 0), 0),
      of: lab.questions.filter((q) => q.kind === 'task').reduce((n, q) => n + q.points, 0),
    };
  }
}

/** Each task's row gets its fixtures; one that does not hold makes the row not ok, and says why. */
function applySpoofResults(lab: Lab, rows: LabTestRow[], results: SpoofResult[]) {
  for (const q of lab.questions) {
    if (q.kind !== 'task') continue;
    const row = rows.find((r) => r.questionId === q.id);
    if (!row) continue;
    row.spoofs = results.filter((r) => r.taskId === q.id);
    for (const r of row.spoofs) {
      row.durationMs += r.durationMs;
      if (r.result === 'held') continue;
      row.ok = false;
      const what = r.result === 'fooled' ? 'fools the check' : r.result === 'not staged' ? 'is not staged' : 'could not run';
      row.detail = join(row.detail, `spoof "${r.spoofId}" (${r.class}) ${what}: ${r.detail}`);
    }
  }
}

function join(a: string, b: string): string {
  return a ? `${a}; ${b}` : b;
}

async function testFresh(ctx: GradeContext, q: Question): Promise<LabTestRow> {
  const t0 = performance.now();
  const row: LabTestRow = { questionId: q.id, kind: q.kind, ok: true, detail: '', warnings: [], durationMs: 0 };
  if (q.kind === 'choice') {
    const correct = q.options.filter((o) => o.correct).map((o) => o.id);
    const r = await gradeQuestion(ctx, q, correct);
    if (!r.passed) Object.assign(row, { ok: false, detail: `the correct options are not accepted: ${r.reason}` });
  } else if (q.kind === 'answer') {
    const expected = await resolveExpectedAnswer(ctx, q);
    if (!expected.ok) {
      Object.assign(row, { ok: false, detail: expected.error?.message ?? 'the answer could not be computed' });
    } else {
      row.answer = expected.accepted[0];
      if (!answerMatches(q.reference, expected.accepted, q.normalize, q.patterns ?? [])) {
        Object.assign(row, { ok: false, detail: `computed "${expected.accepted[0]}" but the reference is "${q.reference}"` });
      }
    }
  } else {
    const run = await runScript(ctx, q.check);
    const error = run.nodes.find((n) => n.error)?.error;
    row.fresh = error ? 'error' : run.passed ? 'passed' : 'failed';
    row.freshReasons = run.nodes.flatMap((n) => n.failures);
    if (error) Object.assign(row, { ok: false, detail: `the check could not run: ${error.message}` });
    else if (run.passed) Object.assign(row, { ok: false, detail: 'the check passes on fresh machines, so it grades nothing' });
    else {
      const nodeErrors = run.nodes.filter((n) => !n.passed && n.failures.length === 0);
      for (const n of nodeErrors) {
        row.warnings.push(
          `the check fails on ${n.node} without a FAIL: line, so the learner reads no reason (exit ${n.exitCode}${n.stderr.trim() ? `, stderr: ${n.stderr.trim().split('\n').pop()}` : ''}): end it with fail "..."`,
        );
      }
    }
  }
  row.durationMs = Math.round(performance.now() - t0);
  return row;
}

/**
 * Runs every task's solve scripts in the nodes, as a learner would: in question order, tasks of
 * a later stage after that stage's setup, which runs once the solutions of its unlocking tasks
 * ran (planCumulative). A failed stage setup is reported on each task of the stage.
 */
async function runSolutions(docker: Docker, lab: Lab, instanceId: string, onStage: (stageId: string, failed: string | undefined) => Promise<void>, signal?: AbortSignal): Promise<Map<string, string>> {
  const errors = new Map<string, string>();
  for (const step of planCumulative(lab)) {
    signal?.throwIfAborted();
    if (step.kind === 'stage') {
      const failed = await runStageStep(docker, lab, instanceId, step);
      if (failed) for (const q of lab.questions) if (q.kind === 'task' && q.stage === step.stageId) errors.set(q.id, failed);
      await onStage(step.stageId, failed);
      continue;
    }
    const q = lab.questions.find((x) => x.id === step.taskId);
    if (q?.kind !== 'task' || errors.has(q.id)) continue;
    const failed = await runInNodes(docker, lab, instanceId, q.solve, 'solve');
    if (failed) errors.set(q.id, failed);
  }
  return errors;
}

/** Tests one lab, or every lab folder under `dir`, one after the other. */
export async function testLabs(docker: Docker, dir: string, options: TestLabOptions = {}): Promise<LabTestReport[]> {
  const dirs = await findLabDirs(dir);
  if (dirs.length === 0) {
    return [{ dir, labId: '', ok: false, errors: [{ code: 'LAB_NOT_FOUND', file: LAB_FILE, line: 1, path: '', message: `no ${LAB_FILE} in ${dir} or its sub-folders` }], rows: [], provisionMs: 0, durationMs: 0, spoofMs: 0 }];
  }
  const reports: LabTestReport[] = [];
  for (const d of dirs) reports.push(await testLab(docker, d, options));
  return reports;
}

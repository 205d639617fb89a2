// Owns authoring-test runs started from the API: each run proves the labs of one bank version
// (every check fails on fresh machines, every solution makes it pass) on real instances of this
// deployment's scope, one lab after the other. Runs live in memory only (the last RUNS_KEPT).
import { randomUUID } from 'node:crypto';
import type Docker from 'dockerode';
import { testLoadedLab, type LabTestReport, type LabTestRow } from '@praxis/grader';
import type { Lab } from '@praxis/labs';
import { destroyInstance, newInstanceId, type ImageOptions } from '@praxis/sandbox';
import { ApiError } from '../../lib/api-error';

export const RUNS_KEPT = 20;

export interface AuthoringTestRow {
  lab: string;
  question: string;
  kind: 'choice' | 'answer' | 'task';
  /** Task checks on fresh machines: should be 'failed'. */
  fresh: 'failed' | 'passed' | 'error' | null;
  /** Task checks after the solutions: should be 'passed'. */
  solved: 'failed' | 'passed' | 'error' | 'solve failed' | null;
  /** Answer questions: the reference written in the lab, and what the machines gave. */
  expected: string | null;
  actual: string | null;
  ok: boolean;
  /** A task row whose after-solve check has not run yet (its lab is still running). */
  pending: boolean;
  /** Why the row is a surprise (or a note for the author). */
  detail: string;
  durationMs: number;
}

export interface AuthoringTestLab {
  lab: string;
  status: 'waiting' | 'running' | 'passed' | 'failed';
  /** What the run is doing in this lab right now. */
  phase: string | null;
  /** A failure outside any question (provisioning, teardown). */
  failure: string | null;
  provisionMs: number | null;
  durationMs: number | null;
}

export interface AuthoringTestRun {
  id: string;
  bankId: string;
  version: number;
  status: 'running' | 'passed' | 'failed';
  startedAt: Date;
  finishedAt: Date | null;
  labs: AuthoringTestLab[];
  /** Rows in lab then question order: finished labs, then the running lab's rows once its fresh phase is done. */
  rows: AuthoringTestRow[];
  totals: { labs: number; labsDone: number; questions: number; ok: number; surprises: number; durationMs: number };
}

export interface CapacityView {
  /** Instances held by learners' attempts now. */
  held: number;
  /** Attempts waiting for an instance. */
  queued: number;
}

export interface AuthoringTestRunsOptions {
  docker: Docker;
  images: ImageOptions;
  scope: string;
  maxInstances: number;
  capacity: () => Promise<CapacityView>;
  log: { error(o: object, m: string): void; info(o: object, m: string): void };
}

interface RunState {
  view: AuthoringTestRun;
  bankVersionId: string;
  /** Instance of the lab being tested now, known before it is created (for the collector). */
  instanceId: string | null;
  /** Instances of the spoof fixture being proved now (one at a time, after the lab's own). */
  spoofInstanceIds: Set<string>;
  done: Promise<void>;
}

export class AuthoringTestRuns {
  private readonly runs = new Map<string, RunState>();
  private readonly listeners = new Map<string, Set<(run: AuthoringTestRun) => void>>();
  private closed = false;

  constructor(private readonly o: AuthoringTestRunsOptions) {}

  /** Starts a run of every lab of the version (or one); answers at once, the run goes on. */
  async start(version: { id: string; bankId: string; version: number; labs: Lab[] }, onlyLab?: string): Promise<AuthoringTestRun> {
    if (this.closed) throw new ApiError(503, 'SHUTTING_DOWN', 'the server is shutting down; start the authoring test again in a moment');
    const labs = onlyLab ? version.labs.filter((l) => l.id === onlyLab) : version.labs;
    if (onlyLab && labs.length === 0) throw new ApiError(404, 'LAB_NOT_FOUND', `bank version ${version.version} has no lab "${onlyLab}"`);
    const { held, queued } = await this.o.capacity();
    // Checked after the await, with nothing awaited until the run is recorded: two clicks cannot both pass.
    const running = [...this.runs.values()].find((r) => r.bankVersionId === version.id && r.view.status === 'running');
    if (running) throw new ApiError(409, 'AUTHORING_TEST_RUNNING', `an authoring test of bank version ${version.version} is already running (run ${running.view.id}); wait for its table`, { runId: running.view.id });
    const mine = this.activeCount();
    if (queued > 0 || held + mine + 1 > this.o.maxInstances) {
      throw new ApiError(
        409,
        'CAPACITY_FULL',
        `all ${this.o.maxInstances} lab instances of this server are in use (${held} by learners, ${mine} by authoring tests${queued ? `, ${queued} learner(s) waiting` : ''}); learners go first, so try again when an attempt ends`,
      );
    }
    const view: AuthoringTestRun = {
      id: randomUUID(),
      bankId: version.bankId,
      version: version.version,
      status: 'running',
      startedAt: new Date(),
      finishedAt: null,
      labs: labs.map((l) => ({ lab: l.id, status: 'waiting', phase: null, failure: null, provisionMs: null, durationMs: null })),
      rows: [],
      totals: { labs: labs.length, labsDone: 0, questions: labs.reduce((n, l) => n + l.questions.length, 0), ok: 0, surprises: 0, durationMs: 0 },
    };
    const state: RunState = { view, bankVersionId: version.id, instanceId: null, spoofInstanceIds: new Set(), done: Promise.resolve() };
    this.runs.set(view.id, state);
    this.forgetOld();
    // Never an unhandled rejection: a failure outside run()'s own guards is logged.
    state.done = this.run(state, labs).catch((err: unknown) => this.o.log.error({ run: view.id, err }, 'authoring test run failed'));
    return view;
  }

  get(runId: string): AuthoringTestRun | undefined {
    return this.runs.get(runId)?.view;
  }

  /** Calls `listener` with the run after every change (phase, rows, end); returns the unsubscribe. */
  subscribe(runId: string, listener: (run: AuthoringTestRun) => void): () => void {
    const set = this.listeners.get(runId) ?? new Set();
    set.add(listener);
    this.listeners.set(runId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(runId);
    };
  }

  private changed(view: AuthoringTestRun) {
    for (const listener of [...(this.listeners.get(view.id) ?? [])]) listener(view);
  }

  /** Runs of one bank version, newest first. */
  listFor(bankVersionId: string): AuthoringTestRun[] {
    return [...this.runs.values()].filter((r) => r.bankVersionId === bankVersionId).map((r) => r.view).reverse();
  }

  /** Instances the runs hold now: the collector must not take them. */
  liveInstanceIds(): string[] {
    return [...this.runs.values()].flatMap((r) => [...(r.instanceId ? [r.instanceId] : []), ...r.spoofInstanceIds]);
  }

  /** Lab instances counted against the server's capacity (one per running run). */
  activeCount(): number {
    return [...this.runs.values()].filter((r) => r.view.status === 'running').length;
  }

  /** Refuses new runs and waits (up to `waitMs`) for running ones, which destroy their instances. */
  async close(waitMs = 90_000): Promise<void> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.runs.values()].map((r) => r.done)),
      new Promise((resolve) => (timer = setTimeout(resolve, waitMs))),
    ]);
    clearTimeout(timer);
  }

  private async run(state: RunState, labs: Lab[]): Promise<void> {
    const { view } = state;
    const t0 = performance.now();
    for (const [i, lab] of labs.entries()) {
      const entry = view.labs[i]!;
      entry.status = 'running';
      entry.phase = 'provisioning';
      const instanceId = newInstanceId();
      const before = view.rows.length;
      const byId = new Map(lab.questions.map((q) => [q.id, q]));
      const toRows = (rows: readonly LabTestRow[], pending: boolean) =>
        rows.map((r): AuthoringTestRow => {
          const q = byId.get(r.questionId);
          return {
            lab: lab.id,
            question: r.questionId,
            kind: r.kind,
            fresh: r.fresh ?? null,
            solved: r.solved ?? null,
            expected: q?.kind === 'answer' ? q.reference : null,
            actual: r.answer ?? null,
            ok: r.ok,
            pending: pending && r.kind === 'task' && r.ok,
            // Warnings (a check with no FAIL: line) ride along in the detail the panel shows.
            detail: [r.detail, ...(r.warnings ?? []).map((w) => `warning: ${w}`)].filter(Boolean).join('; '),
            durationMs: r.durationMs,
          };
        });
      state.instanceId = instanceId;
      let report: LabTestReport;
      try {
        report = await testLoadedLab(this.o.docker, lab, {
          ...this.o.images,
          scope: this.o.scope,
          instanceId,
          // Spoof fixtures one at a time, after the lab's own instance is gone: a run holds one
          // instance at any moment, as activeCount() counts it.
          spoofConcurrency: 1,
          onInstance: (id, live) => (live ? state.spoofInstanceIds.add(id) : state.spoofInstanceIds.delete(id)),
          onProgress: (message) => {
            entry.phase = message.replace(`${lab.id}: `, '');
            this.changed(view);
          },
          // The fresh results show while the solutions run; the final rows replace them.
          onRows: (rows) => {
            view.rows.splice(before, Infinity, ...toRows(rows, true));
            this.changed(view);
          },
        });
      } catch (error) {
        // testLoadedLab tears down itself; this is for an error outside its own guard.
        await destroyInstance(this.o.docker, instanceId).catch(() => undefined);
        report = { dir: lab.dir, labId: lab.id, ok: false, errors: [], rows: [], failure: (error as Error).message, provisionMs: 0, durationMs: 0, spoofMs: 0 };
        this.o.log.error({ run: view.id, lab: lab.id, err: error }, 'authoring test failed');
      } finally {
        state.instanceId = null;
      }
      const rows = toRows(report.rows, false);
      view.rows.splice(before, Infinity, ...rows);
      Object.assign(entry, { status: report.ok ? 'passed' : 'failed', phase: null, failure: report.failure ?? null, provisionMs: report.provisionMs, durationMs: report.durationMs });
      view.totals.labsDone += 1;
      view.totals.ok += rows.filter((r) => r.ok).length;
      view.totals.surprises += rows.filter((r) => !r.ok).length;
      view.totals.durationMs = Math.round(performance.now() - t0);
      this.changed(view);
    }
    view.status = view.labs.every((l) => l.status === 'passed') ? 'passed' : 'failed';
    view.finishedAt = new Date();
    view.totals.durationMs = Math.round(performance.now() - t0);
    this.o.log.info({ run: view.id, status: view.status, ...view.totals }, 'authoring test finished');
    this.changed(view);
  }

  /** Keeps the newest RUNS_KEPT runs; a running run is never dropped. */
  private forgetOld() {
    for (const [id, r] of this.runs) {
      if (this.runs.size <= RUNS_KEPT) break;
      if (r.view.status !== 'running') this.runs.delete(id);
    }
  }
}

// Owns authoring-test runs started from the API: each run proves the labs of one bank version
// (every check fails on fresh machines, every solution makes it pass) on real instances of this
// deployment's scope, one lab after the other. Runs live in the database: any API process shows
// them and follows them (the process running one writes its view after every change and tells the
// others through the event bus); a run whose process is gone is ended as failed by the leader.
import { randomUUID } from 'node:crypto';
import type { DbClient, Prisma } from '@praxis/db';
import { testLoadedLab, type LabTestReport, type LabTestRow } from '@praxis/grader';
import type { Lab } from '@praxis/labs';
import { destroyInstance, newInstanceId, type EngineSet, type ImageOptions } from '@praxis/sandbox';
import { ApiError } from '../../lib/api-error';
import type { EventBus } from '../cluster/event-bus';
import { lockEngineLoads } from '../engines/engine-load';
import { placeInstances } from '../engines/place-instances';

/** Runs of one version listed (newest first). */
export const RUNS_LISTED = 20;
export const AUTHORING_CHANNEL = 'praxis_authoring';
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

export interface AuthoringTestRunsOptions {
  db: DbClient;
  /** The deployment's engines; a run's instances go to the engine it was placed on. */
  engines: EngineSet;
  images: ImageOptions;
  scope: string;
  /** The deployment's instances at most (for the refusal's sentence). */
  maxInstances: number;
  /** This process's id in the deployment (stamped on the runs it executes). */
  workerId: number;
  bus: EventBus;
  log: { error(o: object, m: string): void; info(o: object, m: string): void };
}

interface RunState {
  view: AuthoringTestRun;
  /** The engine the run's instances are made on (placed when it started). */
  engineId: string;
  /** Writes of the view, in order. */
  saving: Promise<void>;
  done: Promise<void>;
}

const toView = (row: { view: Prisma.JsonValue }): AuthoringTestRun => {
  const v = row.view as unknown as AuthoringTestRun & { startedAt: string; finishedAt: string | null };
  return { ...v, startedAt: new Date(v.startedAt), finishedAt: v.finishedAt ? new Date(v.finishedAt) : null };
};

export class AuthoringTestRuns {
  /** Runs this process executes. */
  private readonly local = new Map<string, RunState>();
  private readonly listeners = new Map<string, Set<(run: AuthoringTestRun) => void>>();
  private readonly unsubscribe: (() => void)[];
  private closed = false;

  constructor(private readonly o: AuthoringTestRunsOptions) {
    this.unsubscribe = [
      o.bus.subscribe<{ runId: string }>(AUTHORING_CHANNEL, (m) => void this.deliver(m.runId)),
      // Changes published while this process's listening connection was down: read them now.
      o.bus.onReconnect(() => {
        for (const runId of this.listeners.keys()) void this.deliver(runId);
      }),
    ];
  }

  private async deliver(runId: string): Promise<void> {
    const set = this.listeners.get(runId);
    if (!set?.size) return;
    const run = await this.get(runId).catch(() => undefined);
    if (run) for (const l of [...set]) l(run);
  }

  /** Starts a run of every lab of the version (or one); answers at once, the run goes on. */
  async start(version: { id: string; bankId: string; version: number; labs: Lab[] }, onlyLab?: string): Promise<AuthoringTestRun> {
    if (this.closed) throw new ApiError(503, 'SHUTTING_DOWN', 'the server is shutting down; start the authoring test again in a moment');
    const labs = onlyLab ? version.labs.filter((l) => l.id === onlyLab) : version.labs;
    if (onlyLab && labs.length === 0) throw new ApiError(404, 'LAB_NOT_FOUND', `bank version ${version.version} has no lab "${onlyLab}"`);
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
    // Under the engine rows' lock, like a queue claim: the numbers cannot change until the run is recorded.
    const engineId = await this.o.db.$transaction(async (tx) => {
      const engines = await lockEngineLoads(tx);
      const running = await tx.authoringRun.findFirst({ where: { bankVersionId: version.id, status: 'running' }, select: { id: true } });
      if (running) throw new ApiError(409, 'AUTHORING_TEST_RUNNING', `an authoring test of bank version ${version.version} is already running (run ${running.id}); wait for its table`, { runId: running.id });
      const [queued, mine] = await Promise.all([tx.attempt.count({ where: { status: 'queued' } }), tx.authoringRun.count({ where: { status: 'running' } })]);
      const placed = placeInstances(engines, 1);
      if (queued > 0 || !placed) {
        const held = engines.reduce((n, e) => n + e.held, 0);
        throw new ApiError(
          409,
          'CAPACITY_FULL',
          `all ${this.o.maxInstances} lab instances of this server are in use (${held - mine} by learners, ${mine} by authoring tests${queued ? `, ${queued} learner(s) waiting` : ''}); learners go first, so try again when an attempt ends`,
        );
      }
      await tx.authoringRun.create({ data: { id: view.id, bankVersionId: version.id, status: 'running', view: view as unknown as Prisma.InputJsonValue, engineId: placed[0]!, workerId: this.o.workerId } });
      return placed[0]!;
    }, { timeout: 30_000 });
    const state: RunState = { view, engineId, saving: Promise.resolve(), done: Promise.resolve() };
    this.local.set(view.id, state);
    // Never an unhandled rejection: a failure outside run()'s own guards is logged.
    state.done = this.run(state, labs)
      .catch((err: unknown) => this.o.log.error({ run: view.id, err }, 'authoring test run failed'))
      .finally(() => this.local.delete(view.id));
    return view;
  }

  async get(runId: string): Promise<AuthoringTestRun | undefined> {
    const row = await this.o.db.authoringRun.findUnique({ where: { id: runId }, select: { view: true } });
    return row ? toView(row) : undefined;
  }

  /** Calls `listener` with the run after every change (phase, rows, end), from whichever process runs it. */
  subscribe(runId: string, listener: (run: AuthoringTestRun) => void): () => void {
    const set = this.listeners.get(runId) ?? new Set();
    set.add(listener);
    this.listeners.set(runId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(runId);
    };
  }

  /** Writes the view (in order) and tells every process. */
  private changed(state: RunState, instanceId?: string | null) {
    const { view } = state;
    const data = {
      view: JSON.parse(JSON.stringify(view)) as Prisma.InputJsonValue,
      status: view.status,
      finishedAt: view.finishedAt,
      ...(instanceId !== undefined ? { instanceId } : {}),
    };
    state.saving = state.saving
      .then(() => this.o.db.authoringRun.update({ where: { id: view.id }, data }))
      .then(
        () => this.o.bus.publish(AUTHORING_CHANNEL, { runId: view.id }),
        (err: unknown) => this.o.log.error({ run: view.id, err }, 'saving an authoring-test run failed'),
      );
    return state.saving;
  }

  /** Runs of one bank version, newest first (the last RUNS_LISTED). */
  async listFor(bankVersionId: string): Promise<AuthoringTestRun[]> {
    const rows = await this.o.db.authoringRun.findMany({ where: { bankVersionId }, orderBy: { startedAt: 'desc' }, take: RUNS_LISTED, select: { view: true } });
    return rows.map(toView);
  }

  /**
   * The leader ends runs whose process is gone (it crashed or was cut off mid-run): failed, with
   * the reason on the lab it was testing; its instance is destroyed.
   */
  async endOrphans(liveWorkers: Set<number>): Promise<void> {
    const running = await this.o.db.authoringRun.findMany({ where: { status: 'running' } });
    for (const r of running) {
      if (liveWorkers.has(r.workerId)) continue;
      const view = toView(r);
      const lab = view.labs.find((l) => l.status === 'running') ?? view.labs.find((l) => l.status === 'waiting');
      if (lab) Object.assign(lab, { status: 'failed', phase: null, failure: 'the server process running this test stopped; start the test again' });
      for (const l of view.labs) if (l.status === 'waiting') l.status = 'failed';
      Object.assign(view, { status: 'failed', finishedAt: new Date() });
      const ended = await this.o.db.authoringRun.updateMany({
        where: { id: r.id, status: 'running', workerId: r.workerId },
        data: { status: 'failed', finishedAt: view.finishedAt, instanceId: null, view: JSON.parse(JSON.stringify(view)) as Prisma.InputJsonValue },
      });
      if (ended.count === 0) continue;
      if (r.instanceId && r.engineId && this.o.engines.has(r.engineId)) await destroyInstance(this.o.engines.get(r.engineId), r.instanceId).catch(() => undefined);
      this.o.log.info({ run: r.id, goneWorker: r.workerId }, 'authoring test run ended: its process is gone');
      this.o.bus.publish(AUTHORING_CHANNEL, { runId: r.id });
    }
  }

  /** Refuses new runs and waits (up to `waitMs`) for this process's running ones, which destroy their instances. */
  async close(waitMs = 90_000): Promise<void> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.local.values()].map((r) => r.done)),
      new Promise((resolve) => (timer = setTimeout(resolve, waitMs))),
    ]);
    clearTimeout(timer);
    await Promise.allSettled([...this.local.values()].map((r) => r.saving));
    for (const u of this.unsubscribe) u();
  }

  private async run(state: RunState, labs: Lab[]): Promise<void> {
    const { view } = state;
    const docker = this.o.engines.get(state.engineId);
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
      // Recorded before the instance exists: the collector (any process's) leaves it alone.
      await this.changed(state, instanceId);
      let report: LabTestReport;
      try {
        report = await testLoadedLab(docker, lab, {
          ...this.o.images,
          scope: this.o.scope,
          instanceId,
          // Spoof fixtures one at a time, after the lab's own instance is gone: a run holds one
          // instance at any moment, recorded in its row before it is made (for every process's collector).
          spoofConcurrency: 1,
          onInstance: (id, live) => void this.changed(state, live ? id : null),
          onProgress: (message) => {
            entry.phase = message.replace(`${lab.id}: `, '');
            void this.changed(state);
          },
          // The fresh results show while the solutions run; the final rows replace them.
          onRows: (rows) => {
            view.rows.splice(before, Infinity, ...toRows(rows, true));
            void this.changed(state);
          },
        });
      } catch (error) {
        // testLoadedLab tears down itself; this is for an error outside its own guard.
        await destroyInstance(docker, instanceId).catch(() => undefined);
        report = { dir: lab.dir, labId: lab.id, ok: false, errors: [], rows: [], failure: (error as Error).message, provisionMs: 0, durationMs: 0, spoofMs: 0 };
        this.o.log.error({ run: view.id, lab: lab.id, err: error }, 'authoring test failed');
      }
      const rows = toRows(report.rows, false);
      view.rows.splice(before, Infinity, ...rows);
      Object.assign(entry, { status: report.ok ? 'passed' : 'failed', phase: null, failure: report.failure ?? null, provisionMs: report.provisionMs, durationMs: report.durationMs });
      view.totals.labsDone += 1;
      view.totals.ok += rows.filter((r) => r.ok).length;
      view.totals.surprises += rows.filter((r) => !r.ok).length;
      view.totals.durationMs = Math.round(performance.now() - t0);
      await this.changed(state, null);
    }
    view.status = view.labs.every((l) => l.status === 'passed') ? 'passed' : 'failed';
    view.finishedAt = new Date();
    view.totals.durationMs = Math.round(performance.now() - t0);
    this.o.log.info({ run: view.id, status: view.status, ...view.totals }, 'authoring test finished');
    await this.changed(state, null);
  }
}

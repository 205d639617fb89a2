// Owns the life of attempts after they are created: the capacity queue (counted in instances,
// placed on engines), provisioning of each attempt's lab instances (one per lab), the server-side
// deadline, the freeze at the end (terminals closed, nodes paused before grading starts, so grading
// reads the state of that moment), grading, teardown, and picking work up again from the database
// alone. Any number of
// API processes run one each: a claim locks the engine rows, so processes take queued attempts
// one at a time on counts no one else changes meanwhile; the work a process does is stamped with
// its worker id; the leader alone sweeps (deadlines every half second, also those that passed
// while no server ran; queue positions) and takes over the provisioning and grading of processes
// that are gone.
import pLimit from 'p-limit';
import type { Attempt, DbClient } from '@praxis/db';
import { gradeAttempt, startGraders, type Submission } from '@praxis/grader';
import type { Lab } from '@praxis/labs';
import { createInstance, destroyInstance, freezeInstance, newInstanceId, topologyKey, type EngineSet, type ImageOptions, type ProvisionEvent } from '@praxis/sandbox';
import { readBankContent } from '../banks/bank-content';
import { ApiError } from '../../lib/api-error';
import type { AttemptEvents } from './attempt-events';
import { describeLock, questionLocks } from './attempt-stages';
import type { AttemptMetrics } from './attempt-metrics';
import { countHeldByEngine, lockEngineLoads } from '../engines/engine-load';
import { placeInstances } from '../engines/place-instances';
import { claimWarmInstance, countWarmByEngine, evictWarmInstances } from './warm-pools';
import { SUBMITTED_REASON } from '@praxis/terminal-protocol';

/** Time after a lab reset before the same lab can be reset again. */
export const RESET_COOLDOWN_MS = 30_000;
/** How long a submit waits for a grading another caller or process runs before it answers that grading goes on. */
export const GRADING_WAIT_MS = 120_000;
/** A step of grading still running after this long is logged (attempt, step, instance): a slow grading names where it is. */
const SLOW_STEP_MS = 20_000;

export interface AttemptRunnerOptions {
  db: DbClient;
  /** The deployment's engines; each instance is made, graded and removed on the one it was placed on. */
  engines: EngineSet;
  images: ImageOptions;
  scope: string;
  /** The deployment's instances at most (the engines' capacities together). */
  maxInstances: number;
  /**
   * Cold instances this process provisions at once (PRAXIS_PROVISION_CONCURRENCY); the others
   * wait their turn. Unlimited when absent.
   */
  provisionConcurrency?: number;
  events: AttemptEvents;
  metrics: AttemptMetrics;
  log: { info(o: object, m: string): void; error(o: object, m: string): void };
  /** This process's id in the deployment (stamped on attempts it provisions or grades). */
  workerId: number;
  /** Worker ids of the processes alive now. */
  liveWorkers: () => Promise<Set<number>>;
  /**
   * Told of warm instances this process took out of the deployment's pool (warm-pools.ts), claimed
   * or evicted, so the leader refills (the app publishes them on the event bus). A start or a
   * reset takes a ready one of its lab on the engine it was placed on; the pool uses spare
   * capacity only and gives instances back when learners need the slots.
   */
  onWarmTaken?: (instanceIds: string[]) => void;
  /** Ends the terminals of these instances (code 4408) with a reason the learner reads, in every process; set by the app. */
  closeTerminals?: (instanceIds: string[], reason: string) => Promise<void>;
  /** Called before an instance of a running attempt is destroyed by a reset (closes its terminals). */
  retireInstance?: (instanceId: string) => Promise<void>;
}

/** How an attempt ended: by the learner, by the clock, or stopped by the kernel watchdog. */
export type EndReason = 'submitted' | 'deadline' | 'stopped';

/** What the learner's terminal says when it closes at the end (the browser shows it). */
export function endMessage(reason: EndReason, detail?: string): string {
  if (reason === 'submitted') return `${SUBMITTED_REASON}: your machines are frozen and being graded`;
  if (reason === 'deadline') return 'time is up: your machines are frozen and being graded';
  return `your lab was stopped: ${detail ?? 'it overloaded the host'}`;
}

type Claimed = { id: string; instances: { lab: string; instanceId: string; engineId: string }[] };


export class AttemptRunner {
  private claiming: Promise<void> = Promise.resolve();
  private readonly finishing = new Map<string, Promise<void>>();
  private readonly provisioning = new Set<Promise<void>>();
  private closed = false;
  /** Last queue position told to each waiting attempt (by the leader). */
  private positions = new Map<string, number>();
  /** Resets under way, by "attempt/lab": a second click waits for the first. */
  private readonly resetting = new Map<string, Promise<void>>();
  /** When each "attempt/lab" was last reset: a learner cannot churn machines on a shared host. */
  private readonly lastReset = new Map<string, number>();

  /** Cold provisioning, a few at a time: a burst of starts must not starve the Checks and terminals of those already working. */
  private readonly provisionSlots: <T>(work: () => Promise<T>) => Promise<T>;

  constructor(private readonly o: AttemptRunnerOptions) {
    const limit = o.provisionConcurrency ? pLimit(o.provisionConcurrency) : undefined;
    this.provisionSlots = (work) => (limit ? limit(work) : work());
  }

  async stop(): Promise<void> {
    this.closed = true;
    // Let started work settle so it does not write to a closed client; instances stay for the next start.
    await Promise.allSettled([...this.provisioning, ...this.finishing.values(), this.claiming]);
  }

  /**
   * Makes a ready pool instance of this topology on this engine the attempt's, in one transaction:
   * out of the pool's ledger (row-locked, so no other process gets it) and into the attempt's row
   * in place of the id recorded at the claim, so no collector sees it unowned. Undefined when none waits.
   */
  private async claimWarm(recordedId: string, topology: unknown, engineId: string): Promise<string | undefined> {
    const warmId = await this.o.db.$transaction(async (tx) => {
      const id = await claimWarmInstance(tx, topologyKey(topology), engineId);
      if (id) await tx.attemptInstance.update({ where: { instanceId: recordedId }, data: { instanceId: id } });
      return id;
    });
    if (warmId) this.o.onWarmTaken?.([warmId]);
    return warmId;
  }

  /** Gives back waiting pool instances on these engines where learners' instances and the pool's together exceed capacity. */
  private async evictOverCapacity(engineIds: Iterable<string>): Promise<void> {
    const [engines, held, warm] = await Promise.all([this.o.db.engine.findMany({ select: { id: true, capacity: true } }), countHeldByEngine(this.o.db), countWarmByEngine(this.o.db)]);
    for (const id of new Set(engineIds)) {
      const capacity = engines.find((e) => e.id === id)?.capacity;
      if (capacity === undefined) continue;
      const over = (held.get(id) ?? 0) + (warm.get(id) ?? 0) - capacity;
      if (over <= 0) continue;
      const evicted = await evictWarmInstances(this.o.db, this.o.engines, id, over);
      if (evicted.length) this.o.onWarmTaken?.(evicted);
    }
  }

  async queuePosition(attempt: Pick<Attempt, 'id' | 'status' | 'createdAt'>): Promise<number | null> {
    if (attempt.status !== 'queued') return null;
    return 1 + (await this.o.db.attempt.count({ where: { status: 'queued', createdAt: { lt: attempt.createdAt } } }));
  }

  /** Called after an attempt row is created (and when instances are freed): claims what fits now. */
  enqueue(): Promise<void> {
    this.claiming = this.claiming.then(() => this.claim()).catch((err) => this.o.log.error({ err }, 'attempt queue failed'));
    return this.claiming;
  }

  /**
   * Takes queued attempts from the head of the queue while their labs fit, first come first
   * served (a big attempt at the head is not overtaken by smaller ones). The engine rows are
   * locked for the whole claim and the instance ids recorded (with their engine) before Docker is
   * touched, so a crash leaves ids the next leader can clean up.
   */
  private async claim(): Promise<void> {
    if (this.closed) return;
    const { db } = this.o;
    const failed: { id: string; message: string }[] = [];
    const claimed = await db.$transaction(async (tx) => {
      const engines = await lockEngineLoads(tx);
      const queued = await tx.attempt.findMany({ where: { status: 'queued' }, orderBy: { createdAt: 'asc' }, select: { id: true }, take: 100 });
      const out: Claimed[] = [];
      for (const a of queued) {
        const labs = await this.labsOf(a.id, tx);
        // One that could never start (the limit was lowered since it queued) must not block the queue.
        if (labs.length > this.o.maxInstances) {
          const message = `this attempt needs ${labs.length} lab instances at once and the server runs at most ${this.o.maxInstances}; it cannot start (it does not count against your attempts)`;
          await tx.attempt.update({ where: { id: a.id }, data: { status: 'failed', error: message } });
          failed.push({ id: a.id, message });
          continue;
        }
        const placed = placeInstances(engines, labs.length);
        if (!placed) break;
        for (const id of placed) engines.find((e) => e.id === id)!.held += 1;
        const instances = labs.map((lab, i) => ({ lab, instanceId: newInstanceId(), engineId: placed[i]! }));
        await tx.attempt.update({ where: { id: a.id }, data: { status: 'provisioning', workerId: this.o.workerId } });
        await tx.attemptInstance.createMany({ data: instances.map((i) => ({ attemptId: a.id, ...i })) });
        out.push({ id: a.id, instances });
      }
      return out;
    }, { timeout: 30_000 });
    for (const f of failed) {
      this.o.log.error({ attempt: f.id, maxInstances: this.o.maxInstances }, 'queued attempt can never start; failed');
      this.o.events.emit(f.id, { type: 'failed', message: f.message });
    }
    for (const c of claimed) this.track(this.provision(c.id, c.instances));
  }

  /** The leader tells each waiting learner their place when it changes. */
  private async tellPositions(): Promise<void> {
    const queued = await this.o.db.attempt.findMany({ where: { status: 'queued' }, orderBy: { createdAt: 'asc' }, select: { id: true } });
    const seen = new Map<string, number>();
    queued.forEach((a, i) => {
      if (this.positions.get(a.id) !== i + 1) this.o.events.emit(a.id, { type: 'queued', position: i + 1 });
      seen.set(a.id, i + 1);
    });
    this.positions = seen;
  }

  /**
   * The leader takes over the work of processes that are gone (crashed, killed, cut off): an
   * interrupted provisioning goes back to the queue (its half-made instances destroyed; the clock
   * had not started, so fresh ones are fair), an interrupted grading is done again here.
   */
  async recover(): Promise<void> {
    if (this.closed) return;
    const { db } = this.o;
    const busy = await db.attempt.findMany({ where: { status: { in: ['provisioning', 'grading'] } }, select: { id: true, status: true, workerId: true } });
    if (busy.length === 0) return;
    const live = await this.o.liveWorkers();
    for (const a of busy) {
      if (a.workerId !== null && live.has(a.workerId)) continue;
      if (a.status === 'provisioning') {
        const instances = await db.attemptInstance.findMany({ where: { attemptId: a.id } });
        const moved = await db.$transaction(async (tx) => {
          const m = await tx.attempt.updateMany({ where: { id: a.id, status: 'provisioning', workerId: a.workerId }, data: { status: 'queued', workerId: null } });
          if (m.count === 1) await tx.attemptInstance.deleteMany({ where: { attemptId: a.id } });
          return m.count === 1;
        });
        if (!moved) continue;
        for (const i of instances) await destroyInstance(this.o.engines.get(i.engineId), i.instanceId).catch(() => undefined);
        this.o.log.info({ attempt: a.id, goneWorker: a.workerId }, 'provisioning interrupted (its process is gone); queued again');
      } else {
        const moved = await db.attempt.updateMany({ where: { id: a.id, status: 'grading', workerId: a.workerId }, data: { workerId: this.o.workerId } });
        if (moved.count === 1) {
          this.o.log.info({ attempt: a.id, goneWorker: a.workerId }, 'grading interrupted (its process is gone); grading it here');
          this.detach(this.grade(a.id), 'regrading an interrupted attempt failed', a.id);
        }
      }
    }
    await this.enqueue();
  }

  /** The labs an attempt's questions come from, in question order. */
  private async labsOf(attemptId: string, db: Pick<DbClient, 'attemptQuestion'> = this.o.db): Promise<string[]> {
    const rows = await db.attemptQuestion.findMany({ where: { attemptId }, orderBy: { position: 'asc' }, select: { question: { select: { lab: true } } } });
    return [...new Set(rows.map((r) => r.question.lab))];
  }

  private track(p: Promise<void>) {
    this.provisioning.add(p);
    this.detach(p.finally(() => this.provisioning.delete(p)), 'provisioning failed', undefined);
  }

  /**
   * Work started without waiting for it (the sweep's deadlines, restarts' regrading): a failure
   * (the database gone for a moment) is logged and retried by the next sweep, never an unhandled
   * rejection that ends the process.
   */
  private detach(work: Promise<unknown>, what: string, attemptId: string | undefined) {
    work.catch((err: unknown) => this.o.log.error({ err, attempt: attemptId }, what));
  }

  /**
   * The graders of an instance's nodes (and this process's check agent in each), before the
   * attempt is ready: a Check right after "ready" then waits for no container to start (under
   * load that start took seconds: most of a slow Check). The clock starts at "ready", so the
   * learner loses no time. A failure is logged, not fatal: the first Check starts them again.
   */
  private async startGraders(attemptId: string, lab: string, engineId: string, instanceId: string, nodes: string[], t0: number): Promise<void> {
    this.o.events.emit(attemptId, { type: 'progress', lab, step: 'graders', message: `starting the graders of ${nodes.join(', ')}`, elapsedMs: Math.round(performance.now() - t0) });
    await startGraders(this.o.engines.get(engineId), instanceId, nodes, this.o.images).catch((err: unknown) =>
      this.o.log.error({ err, instance: instanceId }, 'starting the graders failed (the first Check starts them)'),
    );
  }

  private async loadLabs(attempt: Attempt): Promise<{ labs: Map<string, Lab>; timeLimitSeconds: number }> {
    const [version, test] = await Promise.all([
      this.o.db.bankVersion.findUniqueOrThrow({ where: { id: attempt.bankVersionId } }),
      this.o.db.test.findUniqueOrThrow({ where: { id: attempt.testId } }),
    ]);
    const labs = new Map(readBankContent(version).labs.map((l) => [l.id, l]));
    return { labs, timeLimitSeconds: test.timeLimitSeconds };
  }

  private async provision(attemptId: string, instances: Claimed['instances']): Promise<void> {
    const { db, events } = this.o;
    const t0 = performance.now();
    const warmIds: { id: string; engineId: string }[] = [];
    try {
      const attempt = await db.attempt.findUniqueOrThrow({ where: { id: attemptId } });
      const { labs, timeLimitSeconds } = await this.loadLabs(attempt);
      // Warm instances first, of each lab on the engine it was placed on (each claimed into the
      // attempt's row, whose id it replaces); then, if the claim went beyond the spare slots, the
      // pool gives back waiting instances before any cold provisioning.
      const warmOf = new Map<string, string | undefined>();
      for (const { lab, instanceId, engineId } of instances) {
        const warm = await this.claimWarm(instanceId, labOrThrow(labs, lab).topology, engineId);
        if (warm) warmIds.push({ id: warm, engineId });
        warmOf.set(lab, warm);
      }
      // A warm claim frees the slot the pool held; only a cold one can go past an engine's capacity.
      const cold = instances.filter((i) => !warmOf.get(i.lab));
      if (cold.length) await this.evictOverCapacity(cold.map((i) => i.engineId));
      const times = await Promise.all(
        instances.map(async ({ lab, instanceId, engineId }) => {
          const warm = warmOf.get(lab);
          const topology = labOrThrow(labs, lab).topology;
          const nodes = topology.nodes.map((n) => n.name);
          if (warm) {
            await this.startGraders(attemptId, lab, engineId, warm, nodes, t0);
            events.emit(attemptId, { type: 'progress', lab, step: 'ready', message: `instance ${warm} ready (warm pool)`, elapsedMs: Math.round(performance.now() - t0) });
            return { instanceId: warm, ms: Math.round(performance.now() - t0) };
          }
          let ready: ProvisionEvent | undefined;
          await this.provisionSlots(() =>
            createInstance(this.o.engines.get(engineId), topology, {
              ...this.o.images,
              instanceId,
              lab,
              owner: attemptId,
              scope: this.o.scope,
              // A safety net only: the attempt's own end destroys the instance long before this.
              ttlSeconds: timeLimitSeconds + 3600,
              // "ready" is said once the graders are up too.
              onProgress: (e) => (e.step === 'ready' ? (ready = e) : events.emit(attemptId, { type: 'progress', lab, step: e.step, message: e.message, elapsedMs: e.elapsedMs })),
            }),
          );
          // Outside the provisioning slot: the next learner's machines start meanwhile.
          await this.startGraders(attemptId, lab, engineId, instanceId, nodes, t0);
          if (ready) events.emit(attemptId, { type: 'progress', lab, step: 'ready', message: ready.message, elapsedMs: Math.round(performance.now() - t0) });
          return { instanceId, ms: Math.round(performance.now() - t0) };
        }),
      );
      const provisionMs = Math.round(performance.now() - t0);
      const startedAt = new Date();
      // The clock starts when the machines are ready: waiting in the queue costs the learner nothing.
      const deadlineAt = new Date(startedAt.getTime() + timeLimitSeconds * 1000);
      const mine = await db.$transaction(async (tx) => {
        // Still ours? The leader gives the attempt to another process if it thought this one gone.
        const moved = await tx.attempt.updateMany({ where: { id: attemptId, status: 'provisioning', workerId: this.o.workerId }, data: { status: 'active', startedAt, deadlineAt, provisionMs, workerId: null } });
        if (moved.count === 0) return false;
        for (const t of times) await tx.attemptInstance.update({ where: { instanceId: t.instanceId }, data: { provisionMs: t.ms } });
        return true;
      });
      if (!mine) {
        this.o.log.error({ attempt: attemptId }, 'provisioned an attempt another process has taken over; its instances are removed');
        await this.destroyMade(instances, warmIds);
        return;
      }
      this.o.metrics.provisionSeconds.observe(provisionMs / 1000);
      events.emit(attemptId, { type: 'ready', deadlineAt: deadlineAt.toISOString(), provisionMs });
      this.o.log.info({ attempt: attemptId, instances: instances.map((i) => i.instanceId), provisionMs }, 'attempt ready');
    } catch (error) {
      const message = `the lab could not be started: ${(error as Error).message}`;
      this.o.log.error({ attempt: attemptId, err: error }, 'provisioning failed');
      await this.destroyMade(instances, warmIds);
      const moved = this.closed
        ? { count: 0 }
        : await db.attempt.updateMany({ where: { id: attemptId, status: 'provisioning', workerId: this.o.workerId }, data: { status: 'failed', error: message.slice(0, 2000), workerId: null } }).catch(() => ({ count: 0 }));
      if (moved.count === 1) events.emit(attemptId, { type: 'failed', message });
    } finally {
      if (!this.closed) void this.enqueue();
    }
  }

  /** Removes what provisioning made: the claimed instances on their engines, and warm ones taken from the pool. */
  private async destroyMade(instances: Claimed['instances'], warmIds: { id: string; engineId: string }[]): Promise<void> {
    const made = [...instances.map((i) => ({ id: i.instanceId, engineId: i.engineId })), ...warmIds];
    await Promise.all(made.map((m) => destroyInstance(this.o.engines.get(m.engineId), m.id).catch(() => undefined)));
  }

  /** The leader's sweep: ends expired attempts, starts queued ones when slots are free, tells positions. */
  async sweep(): Promise<void> {
    if (this.closed) return;
    // Not those with a machine on an engine that is down: they get its time back, or end, by the engine watch.
    const down = (await this.o.db.engine.findMany({ where: { status: 'down' }, select: { id: true } })).map((e) => e.id);
    const expired = await this.o.db.attempt.findMany({
      where: { status: 'active', deadlineAt: { lte: new Date() }, ...(down.length ? { instances: { none: { engineId: { in: down } } } } : {}) },
      select: { id: true },
    });
    for (const a of expired) this.detach(this.finish(a.id, 'deadline'), 'ending an attempt at its deadline failed', a.id);
    await this.enqueue();
    await this.tellPositions();
  }

  /**
   * Practice mode: replaces one lab's machines with fresh ones (the warm pool's when it has one)
   * while the clock runs on. The new instance id is recorded before Docker is touched (a crash leaves known ids; the old instance
   * is then unknown to the database and the collector removes it), the old terminals are closed
   * (4409), the old instance destroyed and the new one provisioned with progress events. A lab
   * reset less than RESET_COOLDOWN_MS ago is refused (429 RESET_TOO_SOON, with `seconds`).
   */
  resetLab(attemptId: string, lab: string): Promise<void> {
    const key = `${attemptId}/${lab}`;
    const running = this.resetting.get(key);
    if (running) return running;
    const wait = (this.lastReset.get(key) ?? 0) + RESET_COOLDOWN_MS - Date.now();
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      return Promise.reject(new ApiError(429, 'RESET_TOO_SOON', `the lab was reset a moment ago; reset it again in ${seconds} s`, { seconds }));
    }
    const work = this.resetOnce(attemptId, lab)
      .then(() => {
        const now = Date.now();
        for (const [k, at] of this.lastReset) if (at + RESET_COOLDOWN_MS <= now) this.lastReset.delete(k);
        this.lastReset.set(key, now);
      })
      .finally(() => this.resetting.delete(key));
    this.resetting.set(key, work);
    return work;
  }

  private async resetOnce(attemptId: string, lab: string): Promise<void> {
    const { db, events } = this.o;
    const attempt = await db.attempt.findUniqueOrThrow({ where: { id: attemptId } });
    const old = await db.attemptInstance.findUnique({ where: { attemptId_lab: { attemptId, lab } } });
    if (!old) throw new ApiError(404, 'LAB_NOT_FOUND', `the attempt has no lab "${lab}"`);
    const { labs } = await this.loadLabs(attempt);
    const topology = labOrThrow(labs, lab).topology;
    const t0 = performance.now();
    // The fresh instance goes where the old one was (it takes the slot the old one frees): a ready
    // instance of the warm pool when that engine has the pool and it has one.
    const docker = this.o.engines.get(old.engineId);
    const notActive = () => new ApiError(409, 'ATTEMPT_NOT_ACTIVE', 'the attempt has ended; its lab cannot be reset');
    // The new id goes into the attempt's row while the attempt is still active, in one
    // transaction: a ready instance of the warm pool on the same engine, claimed out of the pool's
    // ledger in that same transaction, else a fresh id.
    const fresh = newInstanceId();
    const warm = await db.$transaction(async (tx) => {
      if ((await tx.attempt.count({ where: { id: attemptId, status: 'active' } })) === 0) throw notActive();
      const id = await claimWarmInstance(tx, topologyKey(topology), old.engineId);
      await tx.attemptInstance.update({ where: { attemptId_lab: { attemptId, lab } }, data: { instanceId: id ?? fresh, provisionMs: null } });
      // The fresh machines have no stage setup: the lab's stages lock again until their tasks pass a Check.
      await tx.attemptStage.deleteMany({ where: { attemptId, lab } });
      return id;
    });
    if (warm) this.o.onWarmTaken?.([warm]);
    const instanceId = warm ?? fresh;
    await this.o.retireInstance?.(old.instanceId).catch(() => undefined);
    await destroyInstance(docker, old.instanceId).catch((err) => this.o.log.error({ err, instance: old.instanceId }, 'reset: the old instance could not be removed (the collector will)'));
    if (warm) {
      events.emit(attemptId, { type: 'progress', lab, step: 'ready', message: `instance ${warm} ready (warm pool)`, elapsedMs: Math.round(performance.now() - t0) });
    } else {
      const remaining = Math.max(60, Math.round(((attempt.deadlineAt?.getTime() ?? Date.now()) - Date.now()) / 1000));
      try {
        await this.provisionSlots(() =>
          createInstance(docker, topology, {
            ...this.o.images,
            instanceId,
            lab,
            owner: attemptId,
            scope: this.o.scope,
            ttlSeconds: remaining + 3600,
            onProgress: (e) => events.emit(attemptId, { type: 'progress', lab, step: e.step, message: e.message, elapsedMs: e.elapsedMs }),
          }),
        );
      } catch (error) {
        await destroyInstance(docker, instanceId).catch(() => undefined);
        this.o.log.error({ attempt: attemptId, lab, err: error }, 'lab reset failed');
        throw new ApiError(503, 'LAB_RESET_FAILED', `the fresh lab could not be started (${(error as Error).message}); try the reset again`);
      }
    }
    const provisionMs = Math.round(performance.now() - t0);
    await db.attemptInstance.update({ where: { instanceId }, data: { provisionMs } });
    this.o.log.info({ attempt: attemptId, lab, old: old.instanceId, instance: instanceId, provisionMs, warm: Boolean(warm) }, 'lab reset');
  }

  /**
   * A learner leaving the queue: only a queued attempt can be cancelled (it holds nothing yet).
   * It counts as an attempt used, and has no result.
   */
  async cancel(attemptId: string): Promise<boolean> {
    const moved = await this.o.db.attempt.updateMany({ where: { id: attemptId, status: 'queued' }, data: { status: 'cancelled', endReason: 'cancelled', submittedAt: new Date() } });
    if (moved.count === 1) {
      this.o.events.emit(attemptId, { type: 'cancelled' });
      await this.enqueue(); // the others move up
    }
    return moved.count === 1;
  }

  /**
   * Submit, deadline or a stop by the watchdog: exactly one caller moves the attempt to grading;
   * all wait for the grade. Past its deadline (also when the deadline passed while the server was
   * down) it ended at the deadline, whoever finishes it and whenever. `detail` (a stop's reason) is
   * kept for the learner in the attempt's error.
   */
  async finish(attemptId: string, reason: EndReason, detail?: string): Promise<void> {
    const running = this.finishing.get(attemptId);
    if (running) return running;
    const now = new Date();
    const { deadlineAt } = (await this.o.db.attempt.findUnique({ where: { id: attemptId }, select: { deadlineAt: true } })) ?? {};
    const late = deadlineAt !== null && deadlineAt !== undefined && deadlineAt <= now;
    const moved = await this.o.db.attempt.updateMany({
      where: { id: attemptId, status: 'active' },
      data: {
        status: 'grading',
        submittedAt: late ? deadlineAt : now,
        endReason: late ? 'deadline' : reason,
        workerId: this.o.workerId,
        ...(detail && !late ? { error: endMessage(reason, detail).slice(0, 2000) } : {}),
      },
    });
    if (moved.count === 0) return this.finishing.get(attemptId) ?? this.waitWhileGrading(attemptId);
    return this.grade(attemptId, late ? endMessage('deadline') : endMessage(reason, detail));
  }

  /** The attempt holding an instance, if it is active (the watchdog stops attempts by instance). */
  async attemptOfInstance(instanceId: string): Promise<string | undefined> {
    const row = await this.o.db.attemptInstance.findUnique({ where: { instanceId }, select: { attemptId: true, attempt: { select: { status: true } } } });
    return row && row.attempt.status === 'active' ? row.attemptId : undefined;
  }

  /**
   * The other caller won the race (or another process grades): wait until its result is stored,
   * at most GRADING_WAIT_MS; then 504 GRADING_UNFINISHED names who grades it and since when (the
   * result still comes: the page follows the attempt's events).
   */
  private async waitWhileGrading(attemptId: string): Promise<void> {
    const until = Date.now() + GRADING_WAIT_MS;
    for (;;) {
      const running = this.finishing.get(attemptId);
      if (running) return running;
      const a = await this.o.db.attempt.findUnique({ where: { id: attemptId }, select: { status: true, workerId: true, submittedAt: true } });
      if (a?.status !== 'grading') return;
      if (Date.now() >= until) {
        const by = a.workerId === null ? 'no process (it is taken over shortly)' : a.workerId === this.o.workerId ? 'this process' : `process ${a.workerId}`;
        throw new ApiError(504, 'GRADING_UNFINISHED', `attempt ${attemptId} is still being graded after ${Math.round(GRADING_WAIT_MS / 1000)} s of waiting (by ${by}, ended at ${a.submittedAt?.toISOString() ?? 'an unknown time'}); its result appears on the result page when it is done`, { attemptId, workerId: a.workerId });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Runs one step of a grading, logging it when it is still running after SLOW_STEP_MS (so a slow or stuck grading says where it is). */
  private async step<T>(attemptId: string, step: string, work: () => Promise<T>): Promise<T> {
    const t0 = Date.now();
    const slow = setInterval(() => this.o.log.error({ attempt: attemptId, step, runningMs: Date.now() - t0 }, 'grading step still running'), SLOW_STEP_MS);
    try {
      return await work();
    } finally {
      clearInterval(slow);
    }
  }

  private grade(attemptId: string, message = 'your machines are frozen and being graded'): Promise<void> {
    const existing = this.finishing.get(attemptId);
    if (existing) return existing;
    const work = this.gradeOnce(attemptId, message).finally(() => this.finishing.delete(attemptId));
    this.finishing.set(attemptId, work);
    return work;
  }

  /**
   * Freezes, grades and removes an attempt's instances. The result is written only while the
   * attempt is still this process's grading: a process the leader took for gone (its connection
   * to the database dropped for a moment) and whose grading was taken over neither overwrites the
   * other's result nor removes the instances from under it.
   */
  private async gradeOnce(attemptId: string, message: string): Promise<void> {
    const { db, events } = this.o;
    events.emit(attemptId, { type: 'grading' });
    const attempt = await db.attempt.findUniqueOrThrow({
      where: { id: attemptId },
      include: { questions: { include: { question: true }, orderBy: { position: 'asc' } }, instances: true, stages: true },
    });
    const mine = { id: attemptId, status: 'grading' as const, workerId: this.o.workerId };
    /** False once we learn another process owns the grading. */
    let ours = true;
    await this.freeze(attemptId, attempt.instances, message, attempt.deadlineAt);
    try {
      const { labs } = await this.loadLabs(attempt);
      // A question of a lab stage that never opened earns nothing and is not graded.
      const locks = questionLocks(labs, attempt.stages, attempt.questions);
      const started = performance.now();
      // Each lab's questions are graded on that lab's instance; the labs in parallel.
      const perLab = await Promise.all(
        attempt.instances.map((inst) =>
          this.step(attemptId, `grading lab ${inst.lab} on instance ${inst.instanceId}`, async () => {
            const mine = attempt.questions.filter((q) => q.question.lab === inst.lab && !locks.has(q.position));
            const submissions: Record<string, Submission> = {};
            for (const q of mine) submissions[q.question.key] = (q.answer ?? undefined) as Submission;
            const r = await gradeAttempt({ docker: this.o.engines.get(inst.engineId), instanceId: inst.instanceId, ...this.o.images }, labOrThrow(labs, inst.lab), submissions, {
              questionIds: mine.map((q) => q.question.key),
            });
            return r.results.map((x) => [`${inst.lab}/${x.questionId}`, x] as const);
          }),
        ),
      );
      const byKey = new Map(perLab.flat());
      const gradingMs = Math.round(performance.now() - started);
      let score = 0;
      const updates = attempt.questions.map((q) => {
        const lock = locks.get(q.position);
        const where = { attemptId_position: { attemptId, position: q.position } };
        if (lock) return { where, data: { points: 0, passed: false, reason: `stage not unlocked: ${describeLock(lock)}`, output: '' } };
        const r = byKey.get(`${q.question.lab}/${q.question.key}`);
        if (!r) throw new Error(`question ${q.position} (${q.question.lab}/${q.question.key}) has no instance to be graded on`);
        // Practice: a question whose solution the learner asked to see earns nothing.
        const gaveUp = q.gaveUpAt !== null;
        const points = gaveUp ? 0 : r.points;
        score += points;
        const raw = r.raw.run ? r.raw.run.nodes.map((n) => `[${n.node}] exit ${n.exitCode}${n.timedOut ? ' (timed out)' : ''}\n${n.stdout}${n.stderr}`).join('\n') : '';
        return {
          where,
          data: { points, passed: r.passed, reason: `${gaveUp ? 'Solution shown during practice: no points. ' : ''}${r.error ? `${r.reason} (${r.error.message})` : r.reason}`, output: `${raw}${r.raw.expected !== undefined ? `\nexpected: ${r.raw.expected}` : ''}`.slice(0, 16_000) },
        };
      });
      ours = await this.step(attemptId, 'recording the result', () =>
        db.$transaction(async (tx) => {
          const moved = await tx.attempt.updateMany({ where: mine, data: { status: 'graded', score, gradedAt: new Date(), gradingMs, workerId: null } });
          if (moved.count === 0) return false;
          for (const u of updates) await tx.attemptQuestion.update(u);
          return true;
        }, { timeout: 30_000 }),
      );
      if (!ours) {
        this.o.log.error({ attempt: attemptId }, 'graded an attempt whose grading another process has taken over; its result is theirs');
        return;
      }
      this.o.metrics.gradingSeconds.observe(gradingMs / 1000);
      events.emit(attemptId, { type: 'graded', score, maxScore: attempt.maxScore });
      this.o.log.info({ attempt: attemptId, score, gradingMs }, 'attempt graded');
    } catch (error) {
      this.o.log.error({ attempt: attemptId, err: error }, 'grading failed');
      // If the database itself is what failed, the attempt stays in grading and is regraded at the next start.
      const moved = await db.attempt
        .updateMany({ where: mine, data: { status: 'failed', error: `grading failed: ${(error as Error).message}`.slice(0, 2000), workerId: null } })
        .catch((err: unknown) => {
          this.o.log.error({ attempt: attemptId, err }, 'recording a failed grading failed');
          return undefined;
        });
      if (moved?.count === 0) ours = false;
      if (ours) events.emit(attemptId, { type: 'failed', message: 'grading failed; an instructor can see why' });
    } finally {
      // The instances go with a grading that was ours (or whose owner we could not learn); another process's grading removes them itself.
      if (ours) {
        await this.step(attemptId, 'removing the instances', () =>
          Promise.all(attempt.instances.map((i) => destroyInstance(this.o.engines.get(i.engineId), i.instanceId).catch((err: unknown) => this.o.log.error({ attempt: attemptId, instance: i.instanceId, err }, 'removing a graded instance failed (the collector will)')))),
        );
      }
      if (!this.closed) void this.enqueue();
    }
  }

  /** Closes the terminals and pauses the nodes; grading then reads the state of this moment. */
  private async freeze(attemptId: string, instances: { instanceId: string; engineId: string }[], message: string, deadlineAt: Date | null): Promise<void> {
    const t0 = Date.now();
    // Every process's terminals first: no exec into a node may be starting while it is paused.
    await this.step(attemptId, 'closing the terminals', async () => this.o.closeTerminals?.(instances.map((i) => i.instanceId), message)).catch((err: unknown) =>
      this.o.log.error({ attempt: attemptId, err }, 'closing the terminals failed'),
    );
    const reports = await Promise.all(
      instances.map(({ instanceId: id, engineId }) =>
        this.step(attemptId, `freezing instance ${id}`, () => freezeInstance(this.o.engines.get(engineId), id, this.o.images)).catch((err: unknown) => {
          // Grading goes on: a node that is gone or cannot be paused fails its checks on its own.
          this.o.log.error({ attempt: attemptId, instance: id, err }, 'freezing the instance failed');
          return undefined;
        }),
      ),
    );
    const pausedAt = Math.max(...reports.map((r) => r?.pausedAt.getTime() ?? 0));
    this.o.log.info(
      {
        attempt: attemptId,
        freezeMs: Date.now() - t0,
        deadlineToPausedMs: deadlineAt && pausedAt ? pausedAt - deadlineAt.getTime() : undefined,
        responders: reports.flatMap((r) => r?.nodes.flatMap((n) => n.responders.map((x) => `${n.node}/${x}`)) ?? []),
      },
      'attempt frozen',
    );
  }
}

function labOrThrow(labs: Map<string, Lab>, id: string): Lab {
  const lab = labs.get(id);
  if (!lab) throw new Error(`the bank version has no lab "${id}"`);
  return lab;
}

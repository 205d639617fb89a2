// Fresh machines for the isolated tasks and the spoof fixtures of `lab test`: every job gets an
// instance of its own, made from the lab's topology and destroyed after it, never reused. With a
// look-ahead the next job's instance is made while the current job runs (solutions, cheater's
// steps, checks), so a cluster lab's next kubeadm bootstrap overlaps the work on the last one
// instead of following it; instances are made one at a time, so bootstraps never compete with
// each other for the CPU (docs/kubernetes.md, "Memory and time").
import { createInstance, destroyInstance, newInstanceId, type Docker, type ImageOptions } from '@praxis/sandbox';

export interface FreshMachinesOptions extends ImageOptions {
  scope: string;
  /** Instances made ahead of the jobs that take them (0: each is made when its job starts). */
  ahead: number;
  /** Told about every instance before it is made (live, with the promise of its making) and after it is removed (not live). */
  onInstance?: (instanceId: string, live: boolean, made?: Promise<void>) => void;
  /** Once aborted, no instance is made or handed out any more (the run's caller destroys those made). */
  signal?: AbortSignal;
}

/** One job's machines: its instance id once made (a rejection when it could not be made). */
export interface FreshLease {
  instanceId: string;
  ready: Promise<void>;
}

/**
 * Hands out `total` fresh instances in order. `take` starts (or finds started) the next one and
 * starts up to `ahead` more; `release` destroys a taken one; `close` destroys any made ahead and
 * never taken (a run that stopped early).
 */
export class FreshMachines {
  private readonly made: FreshLease[] = [];
  private taken = 0;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly docker: Docker,
    private readonly topology: unknown,
    private readonly total: number,
    private readonly options: FreshMachinesOptions,
  ) {}

  /** Starts making the first `ahead` instances before any job asks (e.g. while the lab's own instance is in use). */
  prime(): void {
    this.fill(Math.min(this.total, this.options.ahead));
  }

  take(): FreshLease {
    if (this.closed) throw new Error('fresh machines: closed, no instance to take');
    this.options.signal?.throwIfAborted();
    if (this.taken >= this.total) throw new Error(`fresh machines: all ${this.total} instances were taken`);
    this.taken += 1;
    this.fill(Math.min(this.total, this.taken + this.options.ahead));
    return this.made[this.taken - 1]!;
  }

  async release(lease: FreshLease): Promise<void> {
    await lease.ready.catch(() => undefined);
    await destroyInstance(this.docker, lease.instanceId).catch(() => undefined);
    this.options.onInstance?.(lease.instanceId, false);
  }

  /** Destroys the instances made ahead that no job took. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.made.slice(this.taken).map((lease) => this.release(lease)));
  }

  /** Queues instances until `count` exist or are being made, one creation at a time. */
  private fill(count: number): void {
    while (this.made.length < count && !this.closed && !this.options.signal?.aborted) {
      const instanceId = newInstanceId();
      // Made ahead: one creation at a time. On demand (ahead 0): at once, as each job starts.
      const after = this.options.ahead > 0 ? this.chain : Promise.resolve();
      const ready = after.then(() =>
        createInstance(this.docker, this.topology, {
          scope: this.options.scope,
          owner: 'lab-test',
          ttlSeconds: 30 * 60,
          instanceId,
          imagesDir: this.options.imagesDir,
          baseImage: this.options.baseImage,
        }).then(() => undefined),
      );
      // The next creation waits for this one, failed or not.
      this.chain = ready.catch(() => undefined);
      // A lease nobody awaits yet (made ahead) must not count as an unhandled rejection.
      ready.catch(() => undefined);
      // Told before the making starts (it waits for a later turn of the event loop at least).
      this.options.onInstance?.(instanceId, true, ready);
      this.made.push({ instanceId, ready });
    }
  }
}

/**
 * A lab's fresh machines for `total` jobs asked to run `concurrency` at a time, and how many jobs
 * run at once. Linux labs: `concurrency` jobs, each instance made as its job starts. Cluster labs:
 * one job at a time (each is a whole kubeadm bootstrap, about a minute of CPU and 500 MB), with
 * the next job's cluster made meanwhile when `concurrency` allows a second instance.
 */
export function planFreshMachines(
  docker: Docker,
  lab: { topology: { cluster?: unknown } },
  total: number,
  concurrency: number,
  options: Omit<FreshMachinesOptions, 'ahead'>,
): { machines: FreshMachines; jobs: number } {
  const c = Math.max(1, concurrency);
  if (!lab.topology.cluster) return { machines: new FreshMachines(docker, lab.topology, total, { ...options, ahead: 0 }), jobs: c };
  return { machines: new FreshMachines(docker, lab.topology, total, { ...options, ahead: c >= 2 ? 1 : 0 }), jobs: 1 };
}

// A warm pool: instances of a topology provisioned ahead of time, handed out at once on start and
// refilled in the background. A cluster lab takes about a minute to provision cold; from the
// pool it is ready as soon as the caller has it. Pool instances are ordinary instances of the
// caller's scope (owner "pool"), so teardown and the garbage collector treat them like any other:
// the caller lists them among its known ids (`ids()`) and counts them against its capacity
// (`size()`): a refill starts only while `hasRoom` says a slot is spare, and `evict` gives slots
// back when learners need them. One refill at a time, so filling never competes with itself.
import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import { createInstance, type CreateInstanceOptions } from './create-instance';
import { destroyInstance } from './destroy-instance';
import type { Instance } from './instance.types';

export interface PoolOptions extends Pick<CreateInstanceOptions, 'imagesDir' | 'baseImage' | 'setupTimeoutMs'> {
  scope: string;
  /** Lifetime label of pool instances: how long one may wait in the pool plus the longest use. */
  ttlSeconds?: number;
  /** An instance waiting longer than this is replaced by a fresh one (default 1 hour). */
  maxIdleMs?: number;
  onError?: (key: string, error: unknown) => void;
  /**
   * Asked before each refill, with the instance about to be made already counted in size():
   * whether the caller's capacity allows it. Without it the pool always fills to its targets.
   */
  hasRoom?: () => Promise<boolean>;
}

interface Entry {
  topology: unknown;
  target: number;
  ready: Array<{ instance: Instance; since: number }>;
  filling: number;
}

/** A stable key for a topology: pools are per topology (a lab's, in practice). */
export function topologyKey(topology: unknown): string {
  return createHash('sha256').update(JSON.stringify(topology)).digest('hex').slice(0, 16);
}

export class InstancePool {
  private readonly entries = new Map<string, Entry>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly docker: Docker,
    private readonly options: PoolOptions,
  ) {}

  /** Keeps `target` ready instances of this topology (0 empties it); refills in the background. */
  setTarget(topology: unknown, target: number): string {
    const key = topologyKey(topology);
    const entry = this.entries.get(key) ?? { topology, target: 0, ready: [], filling: 0 };
    entry.target = Math.max(0, target);
    this.entries.set(key, entry);
    while (entry.ready.length > entry.target) void destroyInstance(this.docker, entry.ready.pop()!.instance.id).catch(() => undefined);
    this.refill(key);
    return key;
  }

  /** A ready instance of this topology, now, or undefined when none is waiting. Triggers a refill. */
  take(topology: unknown): Instance | undefined {
    const key = topologyKey(topology);
    const entry = this.entries.get(key);
    const taken = entry?.ready.shift();
    if (entry) this.refill(key);
    return taken?.instance;
  }

  /** Instances held by the pool, ready or being provisioned: they count against capacity. */
  size(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.ready.length + e.filling;
    return n;
  }

  ids(): string[] {
    return [...this.entries.values()].flatMap((e) => e.ready.map((r) => r.instance.id));
  }

  /** Destroys up to `count` waiting instances, oldest first (capacity a learner needs); returns how many. */
  evict(count: number): number {
    const waiting = [...this.entries.values()].flatMap((e) => e.ready.map((r) => ({ e, r }))).sort((a, b) => a.r.since - b.r.since).slice(0, Math.max(0, count));
    for (const { e, r } of waiting) {
      e.ready.splice(e.ready.indexOf(r), 1);
      void destroyInstance(this.docker, r.instance.id).catch(() => undefined);
    }
    return waiting.length;
  }

  /** Replaces instances that waited longer than maxIdleMs (call it from a periodic sweep). */
  recycle(now = Date.now()): void {
    const maxIdle = this.options.maxIdleMs ?? 3_600_000;
    for (const [key, e] of this.entries) {
      const stale = e.ready.filter((r) => now - r.since > maxIdle);
      e.ready = e.ready.filter((r) => now - r.since <= maxIdle);
      for (const r of stale) void destroyInstance(this.docker, r.instance.id).catch(() => undefined);
      if (stale.length) this.refill(key);
    }
  }

  /** Waits until every pool is at its target (tests and benchmarks). */
  async settled(): Promise<void> {
    let before: Promise<void>;
    do {
      before = this.queue;
      await before;
    } while (before !== this.queue);
  }

  /** Stops refilling and destroys every waiting instance. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue.catch(() => undefined);
    const all = [...this.entries.values()].flatMap((e) => e.ready.splice(0));
    await Promise.all(all.map((r) => destroyInstance(this.docker, r.instance.id).catch(() => undefined)));
  }

  private refill(key: string): void {
    const entry = this.entries.get(key)!;
    const missing = entry.target - entry.ready.length - entry.filling;
    for (let i = 0; i < missing; i++) {
      entry.filling += 1;
      this.queue = this.queue.then(async () => {
        try {
          if (this.closed || entry.ready.length >= entry.target) return;
          if (this.options.hasRoom && !(await this.options.hasRoom())) return;
          const instance = await createInstance(this.docker, entry.topology, {
            imagesDir: this.options.imagesDir,
            baseImage: this.options.baseImage,
            setupTimeoutMs: this.options.setupTimeoutMs,
            scope: this.options.scope,
            owner: 'pool',
            ttlSeconds: this.options.ttlSeconds ?? 12 * 3600,
          });
          if (this.closed) await destroyInstance(this.docker, instance.id);
          else entry.ready.push({ instance, since: Date.now() });
        } catch (error) {
          this.options.onError?.(key, error);
        } finally {
          entry.filling -= 1;
        }
      });
    }
  }
}

// A warm pool: instances of a topology provisioned ahead of time, handed out at once on start and
// refilled in the background. A cluster lab takes about a minute to provision cold; from the
// pool it is ready as soon as the caller has it. Pool instances are ordinary instances of the
// caller's scope (owner "pool"), so teardown and the garbage collector treat them like any other.
// The caller counts them against its capacity (`size()`): a refill starts only while `hasRoom`
// says a slot is spare, and `evict` gives slots back when learners need them. One refill at a
// time, so filling never competes with itself.
//
// A pool that must outlive its process (the API's) is given a ledger: every instance is written
// there before Docker is touched, a start claims its instance through it (`claim`), and the pool
// destroys an instance only after the ledger gave it up, so two processes reading one ledger
// never hand out or destroy the same instance. Ready instances stay in the ledger when the pool
// closes; the next process adopts them (`adopt`).
import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import { createInstance, type CreateInstanceOptions } from './create-instance';
import { startGraders } from './grader-container';
import { destroyInstance } from './destroy-instance';
import type { Instance } from './instance.types';
import { newInstanceId } from './labels';

/** Where a pool records what it holds, so the record outlives the process (the API: its database). */
export interface PoolLedger {
  /** Before Docker is touched: an instance of this topology key is being provisioned. */
  add(instanceId: string, key: string): Promise<void>;
  /** Provisioning finished: the instance can be handed out. */
  markReady(instanceId: string): Promise<void>;
  /** The pool gives the instance up (to destroy it): true when the ledger still held it. */
  release(instanceId: string): Promise<boolean>;
}

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
  ledger?: PoolLedger;
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
  /** Ids being provisioned now. */
  private readonly inFlight = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly docker: Docker,
    private readonly options: PoolOptions,
  ) {}

  /** Keeps `target` ready instances of this topology (0 empties it); refills in the background. */
  setTarget(topology: unknown, target: number): string {
    const key = topologyKey(topology);
    const entry = this.entry(key, topology);
    entry.target = Math.max(0, target);
    while (entry.ready.length > entry.target) void this.discard(entry.ready.pop()!.instance.id);
    this.refill(key);
    return key;
  }

  /** A ready instance of this topology, now, or undefined when none is waiting. Pools without a ledger only. */
  take(topology: unknown): Instance | undefined {
    if (this.options.ledger) throw new Error('a pool with a ledger hands instances out through claim()');
    const key = topologyKey(topology);
    const entry = this.entries.get(key);
    const taken = entry?.ready.shift();
    if (entry) this.refill(key);
    return taken?.instance;
  }

  /**
   * A ready instance of this topology that `record` accepted, or undefined when none is waiting.
   * `record` moves the instance out of the ledger and into the caller's own records in one step
   * (the API: one transaction); false means another process had it already, and the next one is
   * tried. Without `record`, the ledger's release is the claim. Triggers a refill.
   */
  async claim(topology: unknown, record?: (instance: Instance) => Promise<boolean>): Promise<Instance | undefined> {
    const key = topologyKey(topology);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    try {
      for (let next = entry.ready.shift(); next; next = entry.ready.shift()) {
        const accept = record ?? (async (i: Instance) => (this.options.ledger ? this.options.ledger.release(i.id) : true));
        if (await accept(next.instance)) return next.instance;
      }
      return undefined;
    } finally {
      this.refill(key);
    }
  }

  /** Ready instances found in the ledger (a previous process's), held again for this topology. */
  adopt(topology: unknown, instances: Instance[]): void {
    const entry = this.entry(topologyKey(topology), topology);
    const held = new Set(this.ids());
    for (const instance of instances) if (!held.has(instance.id)) entry.ready.push({ instance, since: Date.now() });
  }

  /** Gives up and destroys one waiting instance (e.g. one whose node died); false when it was not waiting here. */
  remove(instanceId: string): boolean {
    for (const e of this.entries.values()) {
      const i = e.ready.findIndex((r) => r.instance.id === instanceId);
      if (i === -1) continue;
      e.ready.splice(i, 1);
      void this.discard(instanceId);
      return true;
    }
    return false;
  }

  /**
   * Stops holding a waiting instance without destroying it: the ledger no longer has it (another
   * process claimed it), so it is not ours to hand out, count or remove; a refill replaces it.
   * False when not held.
   */
  forget(instanceId: string): boolean {
    for (const [key, e] of this.entries) {
      const i = e.ready.findIndex((r) => r.instance.id === instanceId);
      if (i === -1) continue;
      e.ready.splice(i, 1);
      this.refill(key);
      return true;
    }
    return false;
  }

  /** Instances held by the pool, ready or being provisioned: they count against capacity. */
  size(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.ready.length + e.filling;
    return n;
  }

  /** Ready instances; with `provisioning`, also those being made now. */
  ids(options: { provisioning?: boolean } = {}): string[] {
    const ready = [...this.entries.values()].flatMap((e) => e.ready.map((r) => r.instance.id));
    return options.provisioning ? [...ready, ...this.inFlight] : ready;
  }

  /** Topologies the pool has held, by key. */
  topologies(): Map<string, unknown> {
    return new Map([...this.entries].map(([k, e]) => [k, e.topology]));
  }

  /** Destroys up to `count` waiting instances, oldest first (capacity a learner needs); returns how many. */
  evict(count: number): number {
    const waiting = [...this.entries.values()].flatMap((e) => e.ready.map((r) => ({ e, r }))).sort((a, b) => a.r.since - b.r.since).slice(0, Math.max(0, count));
    for (const { e, r } of waiting) {
      e.ready.splice(e.ready.indexOf(r), 1);
      void this.discard(r.instance.id);
    }
    return waiting.length;
  }

  /** Replaces instances that waited longer than maxIdleMs (call it from a periodic sweep). */
  recycle(now = Date.now()): void {
    const maxIdle = this.options.maxIdleMs ?? 3_600_000;
    for (const [key, e] of this.entries) {
      const stale = e.ready.filter((r) => now - r.since > maxIdle);
      e.ready = e.ready.filter((r) => now - r.since <= maxIdle);
      for (const r of stale) void this.discard(r.instance.id);
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

  /**
   * Stops refilling. An instance being provisioned is destroyed now rather than waited for (a
   * cluster's bootstrap takes a minute). Ready instances are destroyed too, except with a ledger,
   * where they stay recorded for the next process to adopt (`keepReady`, default: with a ledger).
   */
  async close(options: { keepReady?: boolean } = {}): Promise<void> {
    this.closed = true;
    await Promise.all([...this.inFlight].map((id) => this.discard(id, true)));
    await this.queue.catch(() => undefined);
    const all = [...this.entries.values()].flatMap((e) => e.ready.splice(0));
    if (options.keepReady ?? this.options.ledger !== undefined) return;
    await Promise.all(all.map((r) => this.discard(r.instance.id)));
  }

  private entry(key: string, topology: unknown): Entry {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { topology, target: 0, ready: [], filling: 0 };
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** Destroys an instance the ledger gave up (or that is ours alone: `owned`, one being made here). */
  private async discard(instanceId: string, owned = false): Promise<void> {
    try {
      const ledger = this.options.ledger;
      const released = ledger ? await ledger.release(instanceId) : true;
      if (released || owned) await destroyInstance(this.docker, instanceId);
    } catch (error) {
      this.options.onError?.(instanceId, error);
    }
  }

  private refill(key: string): void {
    const entry = this.entries.get(key)!;
    const missing = entry.target - entry.ready.length - entry.filling;
    for (let i = 0; i < missing; i++) {
      entry.filling += 1;
      this.queue = this.queue.then(async () => {
        const id = newInstanceId();
        try {
          if (this.closed || entry.ready.length >= entry.target) return;
          if (this.options.hasRoom && !(await this.options.hasRoom())) return;
          this.inFlight.add(id);
          await this.options.ledger?.add(id, key);
          const instance = await createInstance(this.docker, entry.topology, {
            imagesDir: this.options.imagesDir,
            baseImage: this.options.baseImage,
            setupTimeoutMs: this.options.setupTimeoutMs,
            scope: this.options.scope,
            owner: 'pool',
            instanceId: id,
            ttlSeconds: this.options.ttlSeconds ?? 12 * 3600,
          });
          if (this.closed) throw new Error('the pool closed while the instance was provisioned');
          // Its graders too, so a learner who takes it can Check at once (best effort: a Check
          // starts a missing one).
          await startGraders(this.docker, id, instance.nodes.map((n) => n.name), { imagesDir: this.options.imagesDir, baseImage: this.options.baseImage }).catch(() => undefined);
          await this.options.ledger?.markReady(id);
          entry.ready.push({ instance, since: Date.now() });
        } catch (error) {
          // createInstance removed what it made; the ledger's row (if any) goes with the rest.
          if (this.inFlight.has(id)) await this.discard(id, true);
          if (!this.closed) this.options.onError?.(key, error);
        } finally {
          this.inFlight.delete(id);
          entry.filling -= 1;
        }
      });
    }
  }
}

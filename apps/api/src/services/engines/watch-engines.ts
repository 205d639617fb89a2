// The leader's watch over the engines: each is asked every few seconds whether it answers. After
// three failures in a row it is marked down (new instances go to the others; the attempts on it
// keep their place for the grace period); when it answers again it is up, and the attempts on it
// get the time it was away (engine-outage.ts); past the grace, those attempts end, fairly.
import type { DbClient } from '@praxis/db';
import { pingEngine, type EngineSet } from '@praxis/sandbox';
import type { AttemptEvents } from '../attempts/attempt-events';
import { endAttemptsOnEngine, extendDeadlinesOnEngine, outageMessage } from '../attempts/engine-outage';

export interface EngineWatchOptions {
  db: DbClient;
  engines: EngineSet;
  events: AttemptEvents;
  graceSeconds: number;
  log: { info(o: object, m: string): void; error(o: object, m: string): void };
  /**
   * Closes the terminals of these instances in every process (code 4503: the page reconnects and
   * says why); called when their engine is marked down, whose streams may not break by themselves.
   */
  closeTerminals?: (instanceIds: string[], reason: string) => void;
  /** Failed pings in a row before an engine is marked down. */
  failuresToDown?: number;
  pingTimeoutMs?: number;
}

export class EngineWatch {
  /** Consecutive failures, and when the first of them happened. */
  private readonly failing = new Map<string, { count: number; since: Date }>();

  constructor(private readonly o: EngineWatchOptions) {}

  async check(now = new Date()): Promise<void> {
    const { db, engines, log } = this.o;
    const rows = new Map((await db.engine.findMany({ where: { id: { in: engines.ids } } })).map((r) => [r.id, r]));
    await Promise.all(
      engines.ids.map(async (id) => {
        const row = rows.get(id);
        const ping = await pingEngine(engines.get(id), this.o.pingTimeoutMs ?? 3000);
        if (ping.up) {
          this.failing.delete(id);
          if (row?.status === 'down') {
            const awayMs = now.getTime() - (row.downSince ?? now).getTime();
            const extended = await db.$transaction(async (tx) => {
              await tx.engine.update({ where: { id }, data: { status: 'up', downSince: null, lastSeenAt: now, lastError: null, updatedAt: now } });
              return extendDeadlinesOnEngine(tx, id, awayMs);
            });
            log.info({ engine: id, awayMs, attemptsExtended: extended }, 'engine answers again; its attempts get the time it was away');
          } else {
            await db.engine.update({ where: { id }, data: { lastSeenAt: now, lastError: null } });
          }
          return;
        }
        const f = this.failing.get(id) ?? { count: 0, since: now };
        f.count += 1;
        this.failing.set(id, f);
        if (row?.status !== 'down' && f.count >= (this.o.failuresToDown ?? 3)) {
          await db.engine.update({ where: { id }, data: { status: 'down', downSince: f.since, lastError: ping.error, updatedAt: now } });
          log.error({ engine: id, error: ping.error, since: f.since }, 'engine stopped answering; marked down (new instances go elsewhere)');
          const held = await db.attemptInstance.findMany({ where: { engineId: id, attempt: { status: { in: ['provisioning', 'active', 'grading'] } } }, select: { instanceId: true } });
          if (held.length) this.o.closeTerminals?.(held.map((h) => h.instanceId), 'the host of this machine is not answering; reconnecting');
        } else {
          await db.engine.update({ where: { id }, data: { lastError: ping.error } });
        }
      }),
    );
    await this.endPastGrace(now);
  }

  /** Attempts on engines down for longer than the grace end as failed (not counted). */
  private async endPastGrace(now: Date): Promise<void> {
    const cutoff = new Date(now.getTime() - this.o.graceSeconds * 1000);
    const down = await this.o.db.engine.findMany({ where: { id: { in: this.o.engines.ids }, status: 'down', downSince: { lte: cutoff } } });
    for (const e of down) {
      const ended = await endAttemptsOnEngine(this.o.db, this.o.events, e.id, outageMessage(e.id, e.downSince!, this.o.graceSeconds));
      if (ended.length) this.o.log.error({ engine: e.id, attempts: ended }, 'engine away past the grace period; its attempts ended (not counted against the learners)');
    }
  }
}

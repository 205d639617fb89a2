// What an engine that stops answering means for the attempts on it (the choice documented in
// docs/deploy.md): while it is away their clock is not theirs to lose, so if it comes back within
// the grace period every running attempt with a machine there gets the time it was away added to
// its deadline; if it does not, those attempts end as failed (the server's fault: they do not
// count against the learner, who may start again at once on another engine), with a sentence.
import type { DbClient } from '@praxis/db';
import type { AttemptEvents } from './attempt-events';

/** Active attempts with an instance on the engine get `ms` more; returns how many. */
export async function extendDeadlinesOnEngine(db: Pick<DbClient, '$executeRaw'>, engineId: string, ms: number): Promise<number> {
  return db.$executeRaw`
    UPDATE attempts SET deadline_at = deadline_at + make_interval(secs => ${ms / 1000})
    WHERE status = 'active' AND deadline_at IS NOT NULL
      AND id IN (SELECT attempt_id FROM attempt_instances WHERE engine_id = ${engineId})`;
}

export function outageMessage(engineId: string, since: Date, graceSeconds: number): string {
  return `the host running your machines (engine ${engineId}) stopped answering at ${since.toISOString()} and did not come back within ${graceSeconds} s; this attempt does not count against your attempts, so you can start the test again`;
}

/**
 * Ends the unfinished attempts holding an instance on the engine (provisioning, active or
 * grading there is impossible now) as failed with `message`; returns their ids.
 */
export async function endAttemptsOnEngine(db: DbClient, events: AttemptEvents, engineId: string, message: string): Promise<string[]> {
  const affected = await db.attempt.findMany({
    where: { status: { in: ['provisioning', 'active', 'grading'] }, instances: { some: { engineId } } },
    select: { id: true, status: true },
  });
  const ended: string[] = [];
  for (const a of affected) {
    const moved = await db.attempt.updateMany({
      where: { id: a.id, status: a.status },
      data: { status: 'failed', error: message.slice(0, 2000), endReason: 'engine-down', submittedAt: new Date(), workerId: null },
    });
    if (moved.count === 1) {
      ended.push(a.id);
      events.emit(a.id, { type: 'failed', message });
    }
  }
  return ended;
}

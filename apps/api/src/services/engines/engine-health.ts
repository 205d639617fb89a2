// What /healthz reports: the status of this process's configured engines as the leader's engine
// watch last wrote them, or undefined when the database does not answer.
import type { DbClient } from '@praxis/db';

export async function engineStatuses(db: DbClient, engineIds: readonly string[]): Promise<Record<string, string> | undefined> {
  const rows = await db.engine.findMany({ where: { id: { in: [...engineIds] } }, select: { id: true, status: true } }).catch(() => undefined);
  return rows && Object.fromEntries(rows.map((r) => [r.id, r.status]));
}

// Which engine a lab instance lives on, from the database: an attempt's instance or an
// authoring run's. Undefined for an instance the database does not know.
import type { DbClient } from '@praxis/db';

export async function findInstanceEngine(db: DbClient, instanceId: string): Promise<string | undefined> {
  const attempt = await db.attemptInstance.findUnique({ where: { instanceId }, select: { engineId: true } });
  if (attempt) return attempt.engineId;
  const run = await db.authoringRun.findUnique({ where: { instanceId }, select: { engineId: true } });
  return run?.engineId ?? undefined;
}

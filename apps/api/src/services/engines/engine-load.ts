// How many lab instances each engine holds now, from the database (every process's attempts and
// authoring runs), and the engine rows with their load. Callers that place instances read this
// inside the transaction that locked the engine rows.
import type { DbClient } from '@praxis/db';
import type { EngineLoad } from './place-instances';

type Tx = Pick<DbClient, '$queryRaw'>;

/** Instances held per engine id: attempts that provision, run or grade, and running authoring tests. */
export async function countHeldByEngine(tx: Tx): Promise<Map<string, number>> {
  const rows = await tx.$queryRaw<{ engine_id: string; n: bigint }[]>`
    SELECT engine_id, count(*)::bigint AS n FROM (
      SELECT ai.engine_id FROM attempt_instances ai JOIN attempts a ON a.id = ai.attempt_id
        WHERE a.status IN ('provisioning', 'active', 'grading')
      UNION ALL
      SELECT engine_id FROM authoring_runs WHERE status = 'running' AND engine_id IS NOT NULL
    ) held GROUP BY engine_id`;
  return new Map(rows.map((r) => [r.engine_id, Number(r.n)]));
}

/**
 * Locks the engine rows (FOR UPDATE: every claim in every process waits here for the one before)
 * and returns each engine's load. Call inside a transaction.
 */
export async function lockEngineLoads(tx: Tx): Promise<EngineLoad[]> {
  const engines = await tx.$queryRaw<{ id: string; capacity: number; status: string }[]>`
    SELECT id, capacity, status FROM engines ORDER BY id FOR UPDATE`;
  const held = await countHeldByEngine(tx);
  return engines.map((e) => ({ id: e.id, capacity: e.capacity, held: held.get(e.id) ?? 0, up: e.status === 'up' }));
}

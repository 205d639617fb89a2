// The engines as an admin sees them (the admin page, `GET /api/admin/engines`): each with its
// address, status as the leader's watch last saw it, instances held against its capacity, the
// warm pool's instances there, and the lab nodes running on it now (asked of the engine itself).
import type { DbClient } from '@praxis/db';
import { countRunningNodes, type EngineSet } from '@praxis/sandbox';
import { z } from 'zod';
import { countWarmByEngine } from '../attempts/warm-pools';
import { countHeldByEngine } from './engine-load';

/** How long the page waits for an engine's container count before showing none. */
const COUNT_TIMEOUT_MS = 2000;

export const engineViewSchema = z.object({
  id: z.string(),
  url: z.string(),
  status: z.enum(['up', 'down', 'retired']),
  capacity: z.number(),
  /** Lab instances on it now (attempts and authoring tests of every process). */
  held: z.number(),
  /** Instances of the warm pool on it, ready or being made (they use spare capacity only). */
  warm: z.number(),
  /** Lab node containers running on it now (this deployment's scope), or null when it did not answer in time. */
  nodesRunning: z.number().nullable(),
  lastSeenAt: z.date().nullable(),
  downSince: z.date().nullable(),
  lastError: z.string().nullable(),
});

export type EngineView = z.infer<typeof engineViewSchema>;

/** The configured engines in their configured order, then retired ones that still hold instances. */
export async function readEngines(db: DbClient, engines: EngineSet, scope: string): Promise<EngineView[]> {
  const configured = engines.ids;
  const [rows, held, warm] = await Promise.all([db.engine.findMany(), countHeldByEngine(db), countWarmByEngine(db)]);
  const order = (id: string) => (configured.includes(id) ? configured.indexOf(id) : configured.length);
  const shown = rows
    .filter((r) => configured.includes(r.id) || (held.get(r.id) ?? 0) > 0)
    .sort((a, b) => order(a.id) - order(b.id) || a.id.localeCompare(b.id));
  const nodes = await Promise.all(shown.map((r) => (r.status === 'up' && engines.has(r.id) ? nodesRunning(engines, r.id, scope) : null)));
  return shown.map((r, i) => ({
    id: r.id,
    url: r.url,
    status: r.status as EngineView['status'],
    capacity: r.capacity,
    held: held.get(r.id) ?? 0,
    warm: warm.get(r.id) ?? 0,
    nodesRunning: nodes[i] ?? null,
    lastSeenAt: r.lastSeenAt,
    downSince: r.downSince,
    lastError: r.lastError,
  }));
}

async function nodesRunning(engines: EngineSet, id: string, scope: string): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), COUNT_TIMEOUT_MS)));
  try {
    return await Promise.race([countRunningNodes(engines.get(id), scope).catch(() => null), late]);
  } finally {
    clearTimeout(timer);
  }
}

// The engines as an admin sees them (the admin page, `GET /api/admin/engines`): each with its
// address, status as the leader's watch last saw it, instances held against its capacity.
import type { DbClient } from '@praxis/db';
import { z } from 'zod';
import { countHeldByEngine } from './engine-load';

export const engineViewSchema = z.object({
  id: z.string(),
  url: z.string(),
  status: z.enum(['up', 'down', 'retired']),
  capacity: z.number(),
  /** Lab instances on it now (attempts and authoring tests of every process). */
  held: z.number(),
  lastSeenAt: z.date().nullable(),
  downSince: z.date().nullable(),
  lastError: z.string().nullable(),
});

export type EngineView = z.infer<typeof engineViewSchema>;

/** The configured engines in their configured order, then retired ones that still hold instances. */
export async function readEngines(db: DbClient, configured: readonly string[]): Promise<EngineView[]> {
  const [rows, held] = await Promise.all([db.engine.findMany(), countHeldByEngine(db)]);
  const order = (id: string) => (configured.includes(id) ? configured.indexOf(id) : configured.length);
  return rows
    .filter((r) => configured.includes(r.id) || (held.get(r.id) ?? 0) > 0)
    .sort((a, b) => order(a.id) - order(b.id) || a.id.localeCompare(b.id))
    .map((r) => ({
      id: r.id,
      url: r.url,
      status: r.status as EngineView['status'],
      capacity: r.capacity,
      held: held.get(r.id) ?? 0,
      lastSeenAt: r.lastSeenAt,
      downSince: r.downSince,
      lastError: r.lastError,
    }));
}

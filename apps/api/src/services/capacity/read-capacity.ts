// The server's capacity as an admin sees it: lab instances held (by attempts and by authoring
// tests) against PRAXIS_MAX_INSTANCES, the queue, and attempts by status. Read from the database
// each time, so it is right after a restart too.
import type { DbClient } from '@praxis/db';
import { z } from 'zod';
import { HOLDS_INSTANCE } from '../attempts/attempt-statuses';

export const ATTEMPT_STATUSES = ['queued', 'provisioning', 'active', 'grading', 'graded', 'failed', 'cancelled'] as const;

export const capacitySchema = z.object({
  /** Lab instances held now: attempts' (provisioning, active or grading) plus authoring tests'. */
  activeInstances: z.number(),
  attemptInstances: z.number(),
  authoringInstances: z.number(),
  maxInstances: z.number(),
  /** Attempts waiting for a free instance. */
  queueLength: z.number(),
  attemptsByStatus: z.object(Object.fromEntries(ATTEMPT_STATUSES.map((s) => [s, z.number()])) as Record<(typeof ATTEMPT_STATUSES)[number], z.ZodNumber>),
  provisioning: z.object({ count: z.number(), meanSeconds: z.number().nullable() }).describe('labs provisioned since this server started'),
});

export type Capacity = z.infer<typeof capacitySchema>;

export async function readCapacity(db: DbClient, o: { maxInstances: number; authoringInstances: number; provisioned: { count: number; sum: number } }): Promise<Capacity> {
  const [attemptInstances, groups] = await Promise.all([
    db.attemptInstance.count({ where: { attempt: { status: { in: [...HOLDS_INSTANCE] } } } }),
    db.attempt.groupBy({ by: ['status'], _count: { _all: true } }),
  ]);
  const attemptsByStatus = Object.fromEntries(ATTEMPT_STATUSES.map((s) => [s, 0])) as Capacity['attemptsByStatus'];
  for (const g of groups) attemptsByStatus[g.status] = g._count._all;
  return {
    activeInstances: attemptInstances + o.authoringInstances,
    attemptInstances,
    authoringInstances: o.authoringInstances,
    maxInstances: o.maxInstances,
    queueLength: attemptsByStatus.queued,
    attemptsByStatus,
    provisioning: { count: o.provisioned.count, meanSeconds: o.provisioned.count > 0 ? o.provisioned.sum / o.provisioned.count : null },
  };
}

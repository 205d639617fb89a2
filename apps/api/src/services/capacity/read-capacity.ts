// The deployment's capacity as an admin sees it: lab instances held (by attempts and by
// authoring tests) against the engines' capacity, the queue, attempts by status and provisioning
// times. Read from the database each time, so every API process answers the same, also after a restart.
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
  provisioning: z.object({ count: z.number(), meanSeconds: z.number().nullable() }).describe('attempts whose labs became ready in the last 24 hours, and their mean provisioning time'),
});

export type Capacity = z.infer<typeof capacitySchema>;

export async function readCapacity(db: DbClient, o: { maxInstances: number; now?: Date }): Promise<Capacity> {
  const since = new Date((o.now ?? new Date()).getTime() - 24 * 3600_000);
  const [attemptInstances, authoringInstances, groups, provisioned] = await Promise.all([
    db.attemptInstance.count({ where: { attempt: { status: { in: [...HOLDS_INSTANCE] } } } }),
    db.authoringRun.count({ where: { status: 'running' } }),
    db.attempt.groupBy({ by: ['status'], _count: { _all: true } }),
    db.attempt.aggregate({ where: { startedAt: { gte: since }, provisionMs: { not: null } }, _count: { _all: true }, _avg: { provisionMs: true } }),
  ]);
  const attemptsByStatus = Object.fromEntries(ATTEMPT_STATUSES.map((s) => [s, 0])) as Capacity['attemptsByStatus'];
  for (const g of groups) attemptsByStatus[g.status] = g._count._all;
  return {
    activeInstances: attemptInstances + authoringInstances,
    attemptInstances,
    authoringInstances,
    maxInstances: o.maxInstances,
    queueLength: attemptsByStatus.queued,
    attemptsByStatus,
    provisioning: { count: provisioned._count._all, meanSeconds: provisioned._avg.provisionMs === null ? null : provisioned._avg.provisionMs / 1000 },
  };
}

// The groups of attempt statuses the rest of the server asks about (see AttemptStatus in
// prisma/schema.prisma for the life of an attempt).

/** Statuses whose attempt holds (or is getting) a lab instance. */
export const HOLDS_INSTANCE = ['provisioning', 'active', 'grading'] as const;

/** Statuses of an attempt that has not ended yet (PRAXIS_MAX_UNFINISHED_ATTEMPTS counts these). */
export const UNFINISHED = ['queued', ...HOLDS_INSTANCE] as const;

export const isUnfinished = (status: string) => (UNFINISHED as readonly string[]).includes(status);

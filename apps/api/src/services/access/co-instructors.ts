// Naming a bank's, test's or cohort's co-instructors (by e-mail, instructor or admin accounts
// only; the whole list at once) and showing who manages it.
import { z } from 'zod';
import type { DbClient, User } from '@praxis/db';
import { ApiError } from '../../lib/api-error';
import { email } from '../../lib/input-schemas';

export const staffPersonSchema = z.object({ userId: z.string(), name: z.string(), email: z.string() });
export type StaffPerson = z.infer<typeof staffPersonSchema>;

/** The owner and co-instructors of a bank, test or cohort, as every view of one shows them. */
export const managersSchema = { owner: staffPersonSchema.nullable(), instructors: z.array(staffPersonSchema) };

/** Include this to read a resource's managers with it. */
export const WITH_MANAGERS = { owner: true, instructors: { include: { user: true }, orderBy: { addedAt: 'asc' } } } as const;

const person = (u: User): StaffPerson => ({ userId: u.id, name: u.name, email: u.email });

export function managersOf(r: { owner: User | null; instructors: { user: User }[] }) {
  return { owner: r.owner ? person(r.owner) : null, instructors: r.instructors.map((i) => person(i.user)) };
}

export const coInstructorsBody = z.object({ emails: z.array(email()).max(20) });

export type Managed = 'bank' | 'test' | 'cohort';

/** Replaces the co-instructors of one bank, test or cohort; answers the new list. */
export async function setCoInstructors(db: DbClient, kind: Managed, id: string, ownerId: string | null, emails: string[]): Promise<StaffPerson[]> {
  const wanted = [...new Set(emails)];
  const users = await db.user.findMany({ where: { email: { in: wanted }, role: { in: ['instructor', 'admin'] } } });
  const unknown = wanted.filter((e) => !users.some((u) => u.email === e));
  if (unknown.length) {
    throw new ApiError(422, 'INSTRUCTOR_UNKNOWN', `no instructor account has the e-mail ${unknown.map((e) => `"${e}"`).join(', ')}; an admin gives an account the instructor role first`, { emails: unknown });
  }
  const chosen = users.filter((u) => u.id !== ownerId);
  const rows = chosen.map((u) => ({ userId: u.id }));
  await db.$transaction(async (tx) => {
    if (kind === 'bank') {
      await tx.bankInstructor.deleteMany({ where: { bankId: id } });
      await tx.bankInstructor.createMany({ data: rows.map((r) => ({ ...r, bankId: id })) });
    } else if (kind === 'test') {
      await tx.testInstructor.deleteMany({ where: { testId: id } });
      await tx.testInstructor.createMany({ data: rows.map((r) => ({ ...r, testId: id })) });
    } else {
      await tx.cohortInstructor.deleteMany({ where: { cohortId: id } });
      await tx.cohortInstructor.createMany({ data: rows.map((r) => ({ ...r, cohortId: id })) });
    }
  });
  return wanted.flatMap((e) => chosen.filter((u) => u.email === e).map(person));
}

// Reading banks for instructors (those they manage; admins all), and finding the lab an attempt
// was pinned to.
import type { DbClient, User } from '@praxis/db';
import { managersOf, WITH_MANAGERS } from '../access/co-instructors';
import { managedBy } from '../access/staff-access';
import type { Lab } from '@praxis/labs';
import { ApiError, notFound } from '../../lib/api-error';
import { readBankContent } from './bank-content';

/** How many questions a bank version holds (the import answer's count). */
export function countQuestions(db: DbClient, bankVersionId: string): Promise<number> {
  return db.question.count({ where: { bankVersionId } });
}

/** A bank version with its questions in the version's lab order, each lab's in its lab.yaml's order. */
export async function viewBankVersion(db: DbClient, bankId: string, version: number) {
  const v = await db.bankVersion.findUnique({
    where: { bankId_version: { bankId, version } },
    include: { questions: { select: { id: true, lab: true, key: true, kind: true, title: true, points: true, tags: true, difficulty: true, spec: true } } },
  });
  if (!v) throw notFound('bank version', `${bankId}@${version}`);
  const labOrder = (lab: string) => v.labs.indexOf(lab);
  const numberOf = (spec: unknown) => (spec as { number?: number }).number ?? 0;
  const questions = v.questions
    .sort((a, b) => labOrder(a.lab) - labOrder(b.lab) || numberOf(a.spec) - numberOf(b.spec))
    .map(({ spec: _spec, ...q }) => q);
  return { ...v, questions };
}

export async function listBanks(db: DbClient, user: User) {
  const banks = await db.bank.findMany({
    where: managedBy(user),
    orderBy: { createdAt: 'asc' },
    include: { ...WITH_MANAGERS, versions: { orderBy: { version: 'asc' }, select: { id: true, version: true, labs: true, publishedAt: true, createdAt: true } } },
  });
  return banks.map((b) => ({ id: b.id, slug: b.slug, title: b.title, ...managersOf(b), versions: b.versions }));
}

export async function latestPublishedVersion(db: DbClient, bankId: string) {
  return db.bankVersion.findFirst({ where: { bankId, publishedAt: { not: null } }, orderBy: { version: 'desc' } });
}

/** The id alone, for readers that take the content from loadBankContent's cache. */
export async function latestPublishedVersionId(db: DbClient, bankId: string): Promise<string | null> {
  const found = await db.bankVersion.findFirst({ where: { bankId, publishedAt: { not: null } }, orderBy: { version: 'desc' }, select: { id: true } });
  return found?.id ?? null;
}

export function labOfVersion(version: { id: string; content: unknown }, labId: string): Lab {
  const lab = readBankContent(version).labs.find((l) => l.id === labId);
  if (!lab) throw new ApiError(409, 'LAB_MISSING', `the bank version has no lab "${labId}"`);
  return lab;
}

export async function publishBankVersion(db: DbClient, bankId: string, version: number) {
  const found = await db.bankVersion.findUnique({ where: { bankId_version: { bankId, version } } });
  if (!found) throw notFound('bank version', `${bankId}@${version}`);
  if (found.publishedAt) return found;
  return db.bankVersion.update({ where: { id: found.id }, data: { publishedAt: new Date() } });
}

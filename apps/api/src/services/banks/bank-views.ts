// Reading banks for instructors, and finding the lab an attempt was pinned to.
import type { DbClient } from '@praxis/db';
import type { Lab } from '@praxis/labs';
import { ApiError, notFound } from '../../lib/api-error';
import type { BankContent } from './import-bank';

export async function listBanks(db: DbClient) {
  const banks = await db.bank.findMany({
    orderBy: { createdAt: 'asc' },
    include: { versions: { orderBy: { version: 'asc' }, select: { id: true, version: true, labs: true, publishedAt: true, createdAt: true } } },
  });
  return banks.map((b) => ({ id: b.id, slug: b.slug, title: b.title, versions: b.versions }));
}

export async function latestPublishedVersion(db: DbClient, bankId: string) {
  return db.bankVersion.findFirst({ where: { bankId, publishedAt: { not: null } }, orderBy: { version: 'desc' } });
}

export function labOfVersion(content: unknown, labId: string): Lab {
  const lab = (content as BankContent).labs.find((l) => l.id === labId);
  if (!lab) throw new ApiError(409, 'LAB_MISSING', `the bank version has no lab "${labId}"`);
  return lab;
}

export async function publishBankVersion(db: DbClient, bankId: string, version: number) {
  const found = await db.bankVersion.findUnique({ where: { bankId_version: { bankId, version } } });
  if (!found) throw notFound('bank version', `${bankId}@${version}`);
  if (found.publishedAt) return found;
  return db.bankVersion.update({ where: { id: found.id }, data: { publishedAt: new Date() } });
}

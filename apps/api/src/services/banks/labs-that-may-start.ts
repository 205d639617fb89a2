// The labs whose machines may still be made: each bank's latest published version and the drafts
// imported after it (an instructor's `lab test` or the next publish), and the versions that
// unfinished attempts (a reset makes fresh machines) and running authoring tests pinned. The lab
// image collector keeps what these need (lab-images.plugin.ts).
import type { DbClient } from '@praxis/db';
import type { Lab } from '@praxis/labs';
import { UNFINISHED } from '../attempts/attempt-statuses';
import { loadBankContent } from './bank-content';

/** The bank version ids whose labs may still start. */
export async function versionsThatMayStart(db: DbClient): Promise<Set<string>> {
  const [versions, attempts, runs] = await Promise.all([
    db.bankVersion.findMany({ select: { id: true, bankId: true, version: true, publishedAt: true } }),
    db.attempt.findMany({ where: { status: { in: [...UNFINISHED] } }, select: { bankVersionId: true }, distinct: ['bankVersionId'] }),
    db.authoringRun.findMany({ where: { status: 'running' }, select: { bankVersionId: true }, distinct: ['bankVersionId'] }),
  ]);
  const latestPublished = new Map<string, number>();
  for (const v of versions) if (v.publishedAt && v.version > (latestPublished.get(v.bankId) ?? 0)) latestPublished.set(v.bankId, v.version);
  // The latest published version and every draft after it (a bank never published: all drafts).
  const current = versions.filter((v) => v.version >= (latestPublished.get(v.bankId) ?? 0));
  return new Set([...current.map((v) => v.id), ...attempts.map((a) => a.bankVersionId), ...runs.map((r) => r.bankVersionId)]);
}

/** The labs of those versions (one lab may appear once per version). */
export async function labsThatMayStart(db: DbClient): Promise<Lab[]> {
  const ids = [...(await versionsThatMayStart(db))];
  return (await Promise.all(ids.map(async (id) => (await loadBankContent(db, id)).labs))).flat();
}

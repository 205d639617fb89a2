// Importing a folder of labs as a new version of a bank: every lab is validated first with
// @praxis/labs, and only a wholly valid folder is written, in one transaction (all or nothing).
// Messages name the folder as the instructor knows it (`shownAs`), never the server's path; of
// simultaneous imports to one bank, one wins and the others are told to import again.
import type { DbClient, User } from '@praxis/db';
import { isAdmin } from '../access/staff-access';
import { validateLabs, type LabIssue } from '@praxis/labs';
import { BANK_CONTENT_VERSION, type BankContent } from './bank-content';
import path from 'node:path';
import { ApiError } from '../../lib/api-error';
import { questionTitle } from '../../lib/question-title';
import type { LabImportReport } from './convert-scenarios';


export interface ImportIssue extends LabIssue {
  /** The lab folder, relative to the imported folder ('.' when it is the lab itself). */
  lab: string;
}

export interface ImportBankInput {
  slug: string;
  title?: string;
  dir: string;
  /** How messages name `dir` (the path the instructor gave, or "the archive"). */
  shownAs: string;
  publish: boolean;
  /** Who imports it (the new bank's owner; an existing bank must be theirs to manage); null for the start-up seed. */
  user: User | null;
  /** Per lab, what the importer of Killercoda/Instruqt content reported (kept with the version). */
  importReport?: LabImportReport[];
}

export async function importBank(db: DbClient, input: ImportBankInput) {
  const existing = await db.bank.findUnique({ where: { slug: input.slug }, include: { instructors: { select: { userId: true } } } });
  const actor = input.user;
  if (existing && actor && !isAdmin(actor) && existing.ownerId !== actor.id && !existing.instructors.some((i) => i.userId === actor.id)) {
    throw new ApiError(409, 'BANK_SLUG_TAKEN', `the slug "${input.slug}" belongs to a bank you do not manage: choose another slug, or ask its owner to name you a co-instructor`);
  }
  const root = path.resolve(input.dir);
  const validations = await validateLabs(root);
  const shown = (message: string) => message.split(root).join(input.shownAs);
  const issues: ImportIssue[] = validations.flatMap((v) => v.errors.map((e) => ({ ...e, message: shown(e.message), lab: path.relative(root, v.dir) || '.' })));
  const labs = validations.flatMap((v) => (v.lab ? [v.lab] : []));
  const seen = new Map<string, string>();
  for (const v of validations) {
    if (!v.lab) continue;
    const other = seen.get(v.lab.id);
    if (other) issues.push({ code: 'LAB_DUPLICATE_ID', file: 'lab.yaml', line: 1, path: 'id', message: `lab id "${v.lab.id}" is also the id of ${other}`, lab: path.relative(root, v.dir) || '.' });
    seen.set(v.lab.id, path.relative(root, v.dir) || '.');
  }
  if (issues.length) {
    throw new ApiError(422, 'BANK_INVALID', `the import was refused whole: ${issues.length} error(s) in ${new Set(issues.map((i) => i.lab)).size} lab(s); nothing was imported`, {
      errors: issues,
      ...(input.importReport ? { importReport: input.importReport } : {}),
    });
  }
  // The stored labs must not depend on the server's folder any more: grading reads them from here.
  const content: BankContent = { schemaVersion: BANK_CONTENT_VERSION, labs: labs.map((l) => ({ ...l, dir: path.relative(root, l.dir) || '.' })) };
  try {
    return await writeVersion(db, input, content);
  } catch (error) {
    // Another import of the same bank committed first (its version number, or the new bank's slug).
    if ((error as { code?: string }).code === 'P2002') {
      throw new ApiError(409, 'BANK_IMPORT_CONFLICT', `another import of bank "${input.slug}" finished at the same moment; nothing of this one was written: import it again to make the next version`);
    }
    throw error;
  }
}

function writeVersion(db: DbClient, input: ImportBankInput, content: BankContent) {
  return db.$transaction(async (tx) => {
    const bank = await tx.bank.upsert({
      where: { slug: input.slug },
      create: { slug: input.slug, title: input.title ?? input.slug, ownerId: input.user?.id ?? null },
      update: input.title ? { title: input.title } : {},
    });
    // Concurrent imports of one bank: the unique (bank, version) index makes the loser fail (409 above).
    const last = await tx.bankVersion.findFirst({ where: { bankId: bank.id }, orderBy: { version: 'desc' }, select: { version: true } });
    const version = await tx.bankVersion.create({
      data: {
        bankId: bank.id,
        version: (last?.version ?? 0) + 1,
        content: content as object,
        labs: content.labs.map((l) => l.id),
        ...(input.importReport ? { importReport: input.importReport as object[] } : {}),
        publishedAt: input.publish ? new Date() : null,
        createdById: input.user?.id ?? null,
      },
    });
    await tx.question.createMany({
      data: content.labs.flatMap((lab) =>
        lab.questions.map((q) => ({
          bankVersionId: version.id,
          lab: lab.id,
          key: q.id,
          kind: q.kind,
          title: questionTitle(q.prompt),
          points: q.points,
          tags: lab.tags,
          difficulty: lab.difficulty,
          spec: q as object,
        })),
      ),
    });
    return { bank, version };
  });
}

// Importing a bank version from a folder in any format the bank upload takes: a Praxis bank as it
// is, or Killercoda scenarios / Instruqt tracks converted first into a scratch folder (removed
// afterwards, also on failure) whose labs are then imported like any bank, with their reports.
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DbClient } from '@praxis/db';
import type { LabImportReport, SourceFormat } from './convert-scenarios';
import { convertScenariosOffThread } from './convert-off-thread';
import { importBank, type ImportBankInput } from './import-bank';

export interface ImportBankSourceInput extends Omit<ImportBankInput, 'importReport'> {
  format: SourceFormat;
  /** Where the scratch folder of a conversion goes (the server's uploads folder). */
  scratchParent: string;
  /** How long a conversion may take (config.importTimeLimitMs). */
  timeLimitMs: number;
}

export async function importBankSource(db: DbClient, input: ImportBankSourceInput) {
  const { format, scratchParent, timeLimitMs, ...bank } = input;
  if (format === 'praxis') return { ...(await importBank(db, bank)), importReport: null };
  await mkdir(scratchParent, { recursive: true });
  const scratch = await mkdtemp(path.join(scratchParent, 'praxis-convert-'));
  try {
    const outDir = path.join(scratch, input.slug);
    const importReport: LabImportReport[] = await convertScenariosOffThread(format, { dir: input.dir, outDir, shownAs: input.shownAs, topName: input.slug }, { timeMs: timeLimitMs });
    return { ...(await importBank(db, { ...bank, dir: outDir, importReport })), importReport };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

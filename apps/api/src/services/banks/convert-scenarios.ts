// Converting uploaded Killercoda scenarios or Instruqt tracks into a bank folder of Praxis labs,
// with the importers of @praxis/labs (the code `praxis import` runs): one lab per scenario or
// track found at the top of the upload or in its folders (two levels down, so a repository of
// scenarios and an archive with a folder around it both work). Each lab's report (mapped,
// adapted, to review, not mapped, with the source file) is returned for the bank version to keep.
// Messages name the upload as the instructor knows it (`shownAs`), never the server's path.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ImportError, importInstruqt, importKillercoda, type ImportNote } from '@praxis/labs';
import { z } from 'zod';
import { ApiError } from '../../lib/api-error';

export const SOURCE_FORMATS = ['praxis', 'killercoda', 'instruqt'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];
export type ForeignFormat = Exclude<SourceFormat, 'praxis'>;

/** At most this many scenarios or tracks in one upload (each becomes a lab of the version). */
export const MAX_SOURCES = 50;

const FORMATS: Record<ForeignFormat, { marker: string; what: string; run: typeof importKillercoda }> = {
  killercoda: { marker: 'index.json', what: 'Killercoda scenario', run: importKillercoda },
  instruqt: { marker: 'track.yml', what: 'Instruqt track', run: importInstruqt },
};

export const importNoteSchema = z.object({
  kind: z.enum(['mapped', 'adapted', 'review', 'unmapped']),
  source: z.string(),
  line: z.number().optional(),
  message: z.string(),
});

/** One converted lab's report, as stored with the bank version and shown by the web app. */
export const labImportReportSchema = z.object({
  /** The lab id it became. */
  lab: z.string(),
  format: z.enum(['killercoda', 'instruqt']),
  /** The scenario's or track's folder in the upload ("." for its top). */
  source: z.string(),
  notes: z.array(importNoteSchema),
});
export type LabImportReport = z.infer<typeof labImportReportSchema>;

const exists = (p: string) => stat(p).then(() => true, () => false);

/** Folders holding `marker`: `dir` itself, else its folders and theirs (sorted, at most MAX_SOURCES + 1). */
async function findSources(dir: string, marker: string): Promise<string[]> {
  if (await exists(path.join(dir, marker))) return [dir];
  const found: string[] = [];
  const walk = async (at: string, depth: number) => {
    const entries = (await readdir(at, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    for (const name of entries) {
      if (found.length > MAX_SOURCES) return;
      const sub = path.join(at, name);
      if (await exists(path.join(sub, marker))) found.push(sub);
      else if (depth < 2) await walk(sub, depth + 1);
    }
  };
  await walk(dir, 1);
  return found;
}

/**
 * Writes one lab folder per scenario/track of `dir` under `outDir` (which must not exist yet) and
 * returns their reports. A lab at the upload's top takes `topName` (the bank's slug) as its folder.
 */
export interface ConvertInput {
  dir: string;
  outDir: string;
  shownAs: string;
  topName: string;
}

export async function convertScenarios(format: ForeignFormat, input: ConvertInput): Promise<LabImportReport[]> {
  const { marker, what, run } = FORMATS[format];
  const sources = await findSources(input.dir, marker);
  const shown = (message: string) => message.split(input.dir).join(input.shownAs);
  if (!sources.length) {
    throw new ApiError(422, 'IMPORT_SOURCE_INVALID', `${input.shownAs} holds no ${what}: no ${marker} at its top or in its folders (two levels down); choose the format the content is written in`);
  }
  if (sources.length > MAX_SOURCES) throw new ApiError(422, 'IMPORT_SOURCE_INVALID', `${input.shownAs} holds more than ${MAX_SOURCES} ${what}s: upload them in parts`);
  const reports: LabImportReport[] = [];
  const taken = new Set<string>();
  for (const src of sources) {
    const rel = path.relative(input.dir, src) || '.';
    let name = src === input.dir ? input.topName : path.basename(src);
    for (let n = 2; taken.has(name); n++) name = `${path.basename(src)}-${n}`;
    taken.add(name);
    try {
      const result = await run(src, path.join(input.outDir, name));
      reports.push({ lab: result.labId, format, source: rel, notes: result.notes.map((note: ImportNote) => ({ ...note, message: shown(note.message) })) });
    } catch (error) {
      if (!(error instanceof ImportError)) throw error;
      throw new ApiError(422, error.code, `the ${what} ${rel === '.' ? `at the top of ${input.shownAs}` : `${input.shownAs}/${rel}`} could not be imported: ${shown(error.message)}; nothing was imported`, { source: rel });
    }
  }
  return reports;
}

// What an import produces besides the lab folder: a report of every source file and feature, each
// mapped, adapted, flagged for a human, or not mapped (with the file it came from). Nothing a
// source holds is dropped without a line here.

export type ImportNoteKind =
  /** Carried over as it is (a step's text, an asset). */
  | 'mapped'
  /** Carried over with a rewrite (a verify script adapted for the grader). */
  | 'adapted'
  /** Carried over, but a human must review it: it could pass falsely, or behaves differently. */
  | 'review'
  /** Not carried over: Praxis has no equivalent (desktop layouts, cloud accounts, web tabs). */
  | 'unmapped';

export interface ImportNote {
  kind: ImportNoteKind;
  /** The source file, relative to the imported folder (`step1/verify.sh`, `index.json`). */
  source: string;
  /** 1-based line in that file, when the note is about one line. */
  line?: number;
  message: string;
}

export interface ImportResult {
  /** The lab folder written. */
  labDir: string;
  labId: string;
  notes: ImportNote[];
}

export class ImportError extends Error {
  constructor(
    readonly code: 'IMPORT_SOURCE_INVALID' | 'IMPORT_TARGET_EXISTS',
    message: string,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

// Importers of other platforms' content into Praxis lab folders, with a report of what was
// mapped, adapted, flagged for review or not mapped.
export { importKillercoda, extractExecCommands } from './import-killercoda';
export { importInstruqt } from './import-instruqt';
export { adaptCheckScript, wrapImportedCheck } from './adapt-check';
export { ImportError, type ImportNote, type ImportNoteKind, type ImportResult } from './import.types';

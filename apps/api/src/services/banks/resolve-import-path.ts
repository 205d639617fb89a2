// Where POST /api/banks/import may read: only inside the configured import root
// (PRAXIS_IMPORT_ROOT), symlinks resolved, so an instructor cannot make the server read any other
// folder. Answers never show the server's own paths: the given path is echoed, nothing more.
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../lib/api-error';

/** The real folder `given` names inside `root` (relative to it, or absolute inside it). */
export async function resolveImportPath(root: string | undefined, given: string): Promise<string> {
  if (!root) {
    throw new ApiError(403, 'IMPORT_BY_PATH_OFF', 'importing a folder of the server is turned off here: upload the bank as a .tar.gz or .zip instead (the operator can allow folders under PRAXIS_IMPORT_ROOT)');
  }
  const notFound = () => new ApiError(404, 'IMPORT_PATH_NOT_FOUND', `there is no folder "${given}" in the import folder`);
  const realRoot = await realpath(root).catch(() => undefined);
  if (!realRoot) throw new ApiError(503, 'IMPORT_ROOT_MISSING', 'the server\'s import folder does not exist; tell the operator (PRAXIS_IMPORT_ROOT)');
  const real = await realpath(path.resolve(realRoot, given)).catch(() => undefined);
  if (!real) throw notFound();
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    throw new ApiError(403, 'IMPORT_PATH_OUTSIDE', `"${given}" is outside the import folder; give a folder inside it, relative to it`);
  }
  if (!(await stat(real)).isDirectory()) throw new ApiError(400, 'IMPORT_PATH_NOT_FOLDER', `"${given}" is a file; give the folder that holds lab.yaml (or lab folders)`);
  return real;
}

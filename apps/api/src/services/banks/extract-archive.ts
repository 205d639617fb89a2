// Unpacking an uploaded bank (.tar.gz or .zip) into a fresh folder, streaming: entries are
// inflated by node:zlib (off the event loop, in libuv's thread pool) and written chunk by chunk
// while a running count refuses an entry or an archive that grows past its limit, whatever its
// headers claim (a zip bomb stops at the limit, not at the end of its data). Refused: absolute
// paths, "..", links and devices, names that are too long or not plain text, a file and a folder
// of one name, the same file twice, too many files. Every failure removes the temporary folder,
// and no message shows a server path.
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import yauzl from 'yauzl';
import { ApiError } from '../../lib/api-error';
import { textProblem } from '../../lib/input-schemas';

export const ARCHIVE_LIMITS = {
  /** Files (folders do not count). */
  files: 2000,
  /** Entries of any kind, folders included. */
  entries: 10_000,
  /** A lab reads no file over 256 KiB (@praxis/labs), so a larger one is of no use in a bank. */
  entryBytes: 1024 * 1024,
  totalBytes: 32 * 1024 * 1024,
  /** Bytes of a whole path, and of one of its parts (the usual file-system limits). */
  nameBytes: 1024,
  partBytes: 255,
  depth: 32,
} as const;

const MB = 1024 * 1024;

export function invalidArchive(message: string): ApiError {
  return new ApiError(400, 'ARCHIVE_INVALID', message);
}

export function detectArchive(buf: Uint8Array): 'tar.gz' | 'zip' | undefined {
  if (buf[0] === 0x1f && buf[1] === 0x8b) return 'tar.gz';
  if (buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04) return 'zip';
  return undefined;
}

/** What an archive may hold: the running counts, the names seen, and where files go. */
class ExtractionPlan {
  private readonly files = new Set<string>();
  private readonly folders = new Set<string>();
  private entries = 0;
  total = 0;

  constructor(readonly dir: string) {}

  /** The entry's name made relative and checked; undefined for the archive's own top ("." or "./"). */
  name(raw: string): string | undefined {
    if (++this.entries > ARCHIVE_LIMITS.entries) throw invalidArchive(`the archive holds more than ${ARCHIVE_LIMITS.entries} entries`);
    const shown = JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);
    const problem = textProblem(raw);
    if (problem) throw invalidArchive(`the archive entry ${shown} has a name that ${problem}`);
    const name = raw.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '');
    if (name === '' || name === '.') return undefined;
    const parts = name.split('/');
    if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || parts.includes('..')) throw invalidArchive(`the archive entry ${shown} points outside the bank folder`);
    if (parts.some((p) => p === '' || p === '.')) throw invalidArchive(`the archive entry ${shown} has an empty or "." part in its path`);
    if (Buffer.byteLength(name) > ARCHIVE_LIMITS.nameBytes || parts.some((p) => Buffer.byteLength(p) > ARCHIVE_LIMITS.partBytes)) {
      throw invalidArchive(`the archive entry ${shown} has a name longer than ${ARCHIVE_LIMITS.partBytes} bytes per part or ${ARCHIVE_LIMITS.nameBytes} in all`);
    }
    if (parts.length > ARCHIVE_LIMITS.depth) throw invalidArchive(`the archive entry ${shown} is nested deeper than ${ARCHIVE_LIMITS.depth} folders`);
    return name;
  }

  private conflict(name: string) {
    return invalidArchive(`the archive has both a file and a folder named "${name}"`);
  }

  private addParents(name: string) {
    for (let p = path.posix.dirname(name); p !== '.'; p = path.posix.dirname(p)) {
      if (this.files.has(p)) throw this.conflict(p);
      this.folders.add(p);
    }
  }

  addFolder(name: string) {
    if (this.files.has(name)) throw this.conflict(name);
    this.addParents(name);
    this.folders.add(name);
  }

  addFile(name: string, declaredSize: number) {
    if (this.folders.has(name)) throw this.conflict(name);
    if (this.files.has(name)) throw invalidArchive(`the archive holds "${name}" twice`);
    if (this.files.size + 1 > ARCHIVE_LIMITS.files) throw invalidArchive(`the archive holds more than ${ARCHIVE_LIMITS.files} files`);
    // Headers can lie (the running count in write() is what holds), but an honest big one is refused at once.
    if (declaredSize > ARCHIVE_LIMITS.entryBytes) throw this.entryTooLarge(name);
    this.addParents(name);
    this.files.add(name);
  }

  entryTooLarge(name: string) {
    return invalidArchive(`the archive entry "${name}" unpacks to more than ${ARCHIVE_LIMITS.entryBytes / MB} MB (a lab's files are small text files)`);
  }

  /** Writes one entry's data to its file, counting bytes as they arrive. */
  async write(name: string, data: Readable): Promise<void> {
    // The source may fail (yauzl's size check) before the pipeline below listens to it: the
    // pipeline still sees the error, and it never becomes an uncaught exception.
    data.on('error', () => undefined);
    const target = path.join(this.dir, name);
    await mkdir(path.dirname(target), { recursive: true });
    let entry = 0;
    const counter = new Transform({
      transform: (chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) => {
        entry += chunk.length;
        this.total += chunk.length;
        if (entry > ARCHIVE_LIMITS.entryBytes) return done(this.entryTooLarge(name));
        if (this.total > ARCHIVE_LIMITS.totalBytes) return done(invalidArchive(`the archive unpacks to more than ${ARCHIVE_LIMITS.totalBytes / MB} MB`));
        done(null, chunk);
      },
    });
    // 'wx': never through an existing file (a duplicate would have been refused above anyway).
    await pipeline(data, counter, createWriteStream(target, { flags: 'wx' }));
  }
}

async function extractZip(buf: Buffer, plan: ExtractionPlan): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(buf, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false, decodeStrings: true }, (err, z) => (err ? reject(err) : resolve(z!))),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', resolve);
      zip.on('entry', (entry: yauzl.Entry) => {
        void (async () => {
          const name = plan.name(entry.fileName);
          const folder = entry.fileName.endsWith('/');
          if (name === undefined && !folder) throw invalidArchive(`the archive has a file with the name ${JSON.stringify(entry.fileName)}`);
          if (name !== undefined) {
            if (folder) {
              plan.addFolder(name);
              await mkdir(path.join(plan.dir, name), { recursive: true });
            } else {
              if (entry.isEncrypted()) throw invalidArchive(`the archive entry "${name}" is encrypted`);
              plan.addFile(name, entry.uncompressedSize);
              const stream = await new Promise<Readable>((res, rej) => zip.openReadStream(entry, (err, s) => (err ? rej(err) : res(s!))));
              await plan.write(name, stream);
            }
          }
          zip.readEntry();
        })().catch(reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

async function extractTarGz(buf: Buffer, plan: ExtractionPlan): Promise<void> {
  const tar = tarExtract();
  // 64 kB chunks (zlib's default is 16 kB): a quarter of the callbacks on this thread.
  const source = pipeline(Readable.from([buf]), createGunzip({ chunkSize: 64 * 1024 }), tar);
  // The pipeline's own failure (bad gzip) also surfaces in the loop below; this keeps it from
  // being an unhandled rejection when the loop stops first.
  source.catch(() => undefined);
  try {
    for await (const entry of tar) {
      const { name: raw, type, size } = entry.header;
      const name = plan.name(raw);
      if (type === 'file' || type === 'contiguous-file') {
        if (name === undefined) throw invalidArchive(`the archive has a file with the name ${JSON.stringify(raw)}`);
        plan.addFile(name, size ?? 0);
        await plan.write(name, entry as unknown as Readable);
      } else if (type === 'directory') {
        if (name !== undefined) {
          plan.addFolder(name);
          await mkdir(path.join(plan.dir, name), { recursive: true });
        }
        entry.resume();
      } else {
        throw invalidArchive(`the archive entry "${name ?? raw}" is a ${type ?? 'special file'}; a bank holds plain files and folders only`);
      }
    }
    await source;
  } finally {
    tar.destroy();
  }
}

/** File-system errors as sentences about the archive (never the server's path). */
function describeFailure(kind: string, error: unknown, dir: string): ApiError {
  if (error instanceof ApiError) return error;
  const code = (error as { code?: string }).code;
  const reason =
    code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR'
      ? 'two of its entries claim the same name as a file and as a folder'
      : code === 'ENAMETOOLONG'
        ? 'an entry name is too long'
        : /too many bytes in the stream/.test(String((error as Error).message))
          ? 'an entry holds more data than its header says'
          : ((error as Error).message ?? String(error)).split(dir).join('');
  return invalidArchive(`the ${kind} archive could not be unpacked: ${reason}`);
}

/**
 * Unpacks into `<parent>/praxis-upload-XXXX/<folderName>` and returns both folders; the caller
 * removes `root` when done. On any failure `root` is already gone.
 */
export async function extractArchive(buf: Uint8Array, options: { parent: string; folderName: string }): Promise<{ root: string; dir: string }> {
  const kind = detectArchive(buf);
  if (!kind) throw new ApiError(415, 'ARCHIVE_UNSUPPORTED', 'upload a .tar.gz or a .zip of the bank folder');
  await mkdir(options.parent, { recursive: true });
  const root = await mkdtemp(path.join(options.parent, 'praxis-upload-'));
  // The bank's folder has a known name: a lab at the archive's top level takes it as its id.
  const dir = path.join(root, options.folderName);
  try {
    await mkdir(dir);
    const plan = new ExtractionPlan(dir);
    const data = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    if (kind === 'zip') await extractZip(data, plan);
    else await extractTarGz(data, plan);
    return { root, dir };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw describeFailure(kind, error, root);
  }
}

// Unpacking an uploaded bank (.tar.gz or .zip) into a fresh folder, refusing anything that could
// escape it or exhaust the disk: absolute paths, "..", links and devices, too many or too large
// files. Gzip by node:zlib (bounded output), zip by fflate (pure JS), tar read here (ustar, pax names).
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { ApiError } from '../../lib/api-error';

export const ARCHIVE_LIMITS = { files: 2000, totalBytes: 64 * 1024 * 1024 };

interface Entry {
  name: string;
  data: Uint8Array;
}

function invalid(message: string): ApiError {
  return new ApiError(400, 'ARCHIVE_INVALID', message);
}

export function detectArchive(buf: Uint8Array): 'tar.gz' | 'zip' | undefined {
  if (buf[0] === 0x1f && buf[1] === 0x8b) return 'tar.gz';
  if (buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04) return 'zip';
  return undefined;
}

function safeName(raw: string): string | undefined {
  const name = raw.replace(/\\/g, '/').replace(/^\.\//, '');
  if (name === '' || name.endsWith('/')) return undefined; // folders are made from file paths
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.split('/').includes('..')) {
    throw invalid(`the archive entry "${raw}" points outside the bank folder`);
  }
  return name;
}

const ascii = (b: Uint8Array, from: number, len: number) => {
  const slice = b.subarray(from, from + len);
  const end = slice.indexOf(0);
  return Buffer.from(end === -1 ? slice : slice.subarray(0, end)).toString('utf8');
};

export function readTar(tar: Uint8Array): Entry[] {
  const out: Entry[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(ascii(header, 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) throw invalid('the tar archive has a malformed header');
    const type = String.fromCharCode(header[156] || 48);
    const prefix = ascii(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${ascii(header, 0, 100)}` : ascii(header, 0, 100));
    longName = undefined;
    const data = tar.subarray(offset + 512, offset + 512 + size);
    if (data.length < size) throw invalid('the tar archive is truncated');
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      const m = /\d+ path=([^\n]*)\n/.exec(Buffer.from(data).toString('utf8'));
      if (m) longName = m[1];
    } else if (type === 'L') {
      longName = ascii(data, 0, data.length);
    } else if (type === '0' || type === '7' || type === '\0') {
      out.push({ name, data });
    } else if (type === '5' || type === 'g') {
      // folders and global headers carry nothing we need
    } else {
      throw invalid(`the archive entry "${name}" is a link or a device; a bank holds plain files only`);
    }
  }
  return out;
}

/** Unpacks into a new temporary folder and returns it; the caller removes it. */
export async function extractArchive(buf: Uint8Array): Promise<string> {
  const kind = detectArchive(buf);
  if (!kind) throw new ApiError(415, 'ARCHIVE_UNSUPPORTED', 'upload a .tar.gz or a .zip of the bank folder');
  let entries: Entry[];
  let total = 0;
  try {
    if (kind === 'zip') {
      entries = Object.entries(
        unzipSync(buf, {
          filter: (f) => {
            total += f.originalSize;
            if (total > ARCHIVE_LIMITS.totalBytes) throw invalid(`the archive unpacks to more than ${ARCHIVE_LIMITS.totalBytes / 1024 / 1024} MB`);
            return true;
          },
        }),
      ).map(([name, data]) => ({ name, data }));
    } else {
      // Bounded, so a small gzip bomb cannot expand into all of memory.
      entries = readTar(gunzipSync(buf, { maxOutputLength: ARCHIVE_LIMITS.totalBytes + 4 * 1024 * 1024 }));
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw invalid(`the ${kind} archive could not be read: ${(error as Error).message}`);
  }
  const files = entries.flatMap((e) => {
    const name = safeName(e.name);
    return name ? [{ name, data: e.data }] : [];
  });
  if (files.length > ARCHIVE_LIMITS.files) throw invalid(`the archive holds ${files.length} files; at most ${ARCHIVE_LIMITS.files} are accepted`);
  total = files.reduce((s, f) => s + f.data.length, 0);
  if (total > ARCHIVE_LIMITS.totalBytes) throw invalid(`the archive unpacks to more than ${ARCHIVE_LIMITS.totalBytes / 1024 / 1024} MB`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'praxis-upload-'));
  for (const f of files) {
    const target = path.join(dir, f.name);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, f.data);
  }
  return dir;
}

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync, strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lyingZip, tarEntry, tarOf, zeroTarGz } from '../../../test/archive-builders';
import { ARCHIVE_LIMITS, detectArchive, extractArchive } from './extract-archive';

let parent: string;
beforeAll(async () => {
  parent = await mkdtemp(path.join(os.tmpdir(), 'praxis-extract-test-'));
});
afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

const extract = (buf: Uint8Array) => extractArchive(buf, { parent, folderName: 'bank' });

/** Expects the archive to be refused with ARCHIVE_INVALID and a message matching `message`, leaving nothing behind. */
async function expectRefused(buf: Uint8Array, message: RegExp) {
  const error = await extract(buf).then(
    () => undefined,
    (e: unknown) => e as { status: number; code: string; message: string },
  );
  expect(error, `expected a refusal matching ${message}`).toMatchObject({ status: 400, code: 'ARCHIVE_INVALID' });
  expect(error!.message).toMatch(message);
  expect(error!.message).not.toContain(parent);
  expect(await readdir(parent)).toEqual([]);
}

describe('extractArchive', () => {
  it('unpacks a .tar.gz and a .zip into a folder of the given name', async () => {
    const tgz = gzipSync(tarOf(tarEntry('lab/lab.yaml', 'title: x\n'), tarEntry('lab/', '', '5'), tarEntry('lab/intro.md', '# hi\n')));
    const zip = zipSync({ 'lab.yaml': strToU8('title: y\n'), 'questions/': new Uint8Array(0) });
    expect(detectArchive(tgz)).toBe('tar.gz');
    expect(detectArchive(zip)).toBe('zip');
    const a = await extract(tgz);
    expect(await readFile(path.join(a.dir, 'lab', 'lab.yaml'), 'utf8')).toBe('title: x\n');
    expect(a.dir).toBe(path.join(a.root, 'bank'));
    // A lab at the archive's top level lands in the named folder (the bank's slug), not in a temporary name.
    const b = await extract(zip);
    expect(await readFile(path.join(b.dir, 'lab.yaml'), 'utf8')).toBe('title: y\n');
    for (const r of [a, b]) await rm(r.root, { recursive: true });
  });

  it('refuses entries that escape the folder, links and devices, and what is not an archive', async () => {
    await expectRefused(gzipSync(tarOf(tarEntry('../evil.sh', 'x'))), /points outside the bank folder/);
    await expectRefused(gzipSync(tarOf(tarEntry('/etc/cron.d/x', 'x'))), /points outside the bank folder/);
    await expectRefused(zipSync({ 'a/../../x': strToU8('x') }), /outside|invalid relative path/);
    await expectRefused(gzipSync(tarOf(tarEntry('lab/link', '', '2'))), /is a symlink; a bank holds plain files and folders only/);
    await expectRefused(gzipSync(tarOf(tarEntry('lab/dev', '', '3'))), /character-device/);
    await expect(extract(strToU8('just text'))).rejects.toMatchObject({ code: 'ARCHIVE_UNSUPPORTED', status: 415 });
    await expectRefused(Uint8Array.from([0x1f, 0x8b, 1, 2, 3]), /could not be unpacked/);
    await expectRefused(Uint8Array.from([0x50, 0x4b, 3, 4, 9, 9]), /could not be unpacked/);
  });

  it('refuses malformed names with a 400 and removes its folder every time', async () => {
    await expectRefused(zipSync({ a: strToU8('file'), 'a/b': strToU8('inside') }), /both a file and a folder named "a"/);
    await expectRefused(gzipSync(tarOf(tarEntry('a/b', 'x'), tarEntry('a', 'y'))), /both a file and a folder named "a"/);
    await expectRefused(gzipSync(tarOf(tarEntry('a', 'y'), tarEntry('a/', '', '5'))), /both a file and a folder named "a"/);
    await expectRefused(gzipSync(tarOf(tarEntry('lab.yaml', 'x'), tarEntry('lab.yaml', 'y'))), /holds "lab.yaml" twice/);
    await expectRefused(zipSync({ '.': strToU8('dot') }), /a file with the name|empty or "\." part/);
    await expectRefused(gzipSync(tarOf(tarEntry('.', 'dot'))), /a file with the name "\."/);
    await expectRefused(zipSync({ [`${'x'.repeat(300)}.md`]: strToU8('long') }), /longer than 255 bytes per part/);
    await expectRefused(zipSync({ [`${'d/'.repeat(40)}f`]: strToU8('deep') }), /nested deeper than 32 folders/);
    await expectRefused(gzipSync(tarOf(tarEntry('bell\u0007.md', 'x'))), /must be one line without control characters/);
    await expectRefused(zipSync({ 'a/./b': strToU8('x') }), /empty or "\." part/);
  });

  // Building 33 MB of archive content takes a few seconds on a busy machine.
  it('stops a bomb at the running limits, whatever its headers claim', { timeout: 60_000 }, async () => {
    // A zip whose headers claim 1 kB for 8 MB of zeros.
    await expectRefused(await lyingZip('lab/notes.md', 8 * 1024 * 1024, 1000), /more data than its header says/);
    // An honest header over the per-entry limit is refused before any byte is written.
    await expectRefused(await lyingZip('lab/big.bin', 1024, ARCHIVE_LIMITS.entryBytes + 1), /unpacks to more than 1 MB/);
    // A tar.gz of 8 MB of zeros (about 8 kB): the per-entry limit stops it.
    await expectRefused(await zeroTarGz('lab/zeros.bin', 8 * 1024 * 1024), /unpacks to more than 1 MB/);
    // Thirty-three 1 MB files: each at the entry limit, together over the total.
    const entries = Array.from({ length: 33 }, (_, i) => tarEntry(`lab/z${i}.bin`, Buffer.alloc(1024 * 1024)));
    await expectRefused(gzipSync(tarOf(...entries), { level: 1 }), /the archive unpacks to more than 32 MB/);
  });
});

import { describe, expect, it } from 'vitest';
import { gzipSync, zipSync, strToU8 } from 'fflate';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { detectArchive, extractArchive, readTar } from './extract-archive';

function tarEntry(name: string, body: string, type = '0'): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'utf8');
  header.write('0000644\0', 100);
  header.write(`${Buffer.byteLength(body).toString(8).padStart(11, '0')}\0`, 124);
  header.write(type, 156);
  header.write('ustar\0', 257);
  const data = Buffer.alloc(Math.ceil(Buffer.byteLength(body) / 512) * 512);
  data.write(body);
  return Buffer.concat([header, data]);
}
const tarOf = (...entries: Buffer[]) => Buffer.concat([...entries, Buffer.alloc(1024)]);

describe('extractArchive', () => {
  it('unpacks a .tar.gz and a .zip into a fresh folder', async () => {
    const tgz = gzipSync(tarOf(tarEntry('lab/lab.yaml', 'title: x\n'), tarEntry('lab/intro.md', '# hi\n')));
    const zip = zipSync({ 'lab/lab.yaml': strToU8('title: y\n') });
    expect(detectArchive(tgz)).toBe('tar.gz');
    expect(detectArchive(zip)).toBe('zip');
    for (const [buf, expected] of [[tgz, 'title: x\n'], [zip, 'title: y\n']] as const) {
      const dir = await extractArchive(buf);
      expect(await readFile(path.join(dir, 'lab', 'lab.yaml'), 'utf8')).toBe(expected);
      await rm(dir, { recursive: true });
    }
  });

  it('refuses entries that escape the folder, links, and what is not an archive', async () => {
    await expect(extractArchive(gzipSync(tarOf(tarEntry('../evil.sh', 'x'))))).rejects.toMatchObject({ code: 'ARCHIVE_INVALID', status: 400 });
    await expect(extractArchive(zipSync({ '/etc/passwd': strToU8('x') }))).rejects.toMatchObject({ code: 'ARCHIVE_INVALID' });
    expect(() => readTar(tarOf(tarEntry('lab/link', '', '2')))).toThrow(/link or a device/);
    await expect(extractArchive(strToU8('just text'))).rejects.toMatchObject({ code: 'ARCHIVE_UNSUPPORTED', status: 415 });
    await expect(extractArchive(Uint8Array.from([0x1f, 0x8b, 1, 2, 3]))).rejects.toMatchObject({ code: 'ARCHIVE_INVALID' });
  });
});

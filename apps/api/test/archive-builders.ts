// Archives for the upload tests, built byte by byte where a real tool would refuse to make them:
// tar entries of any type and name, a zip whose headers lie about an entry's size (a zip bomb),
// and a gzip of a large file of zeros, deflated as a stream so the test never holds it whole.
import { createDeflateRaw, createGzip } from 'node:zlib';

/** One ustar entry: a 512-byte header and the data padded to 512 bytes. */
export function tarEntry(name: string, body: string | Buffer, type = '0'): Buffer {
  const data = typeof body === 'string' ? Buffer.from(body) : body;
  const header = Buffer.alloc(512);
  header.write(name.slice(0, 100), 0, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write(type, 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  // The checksum: the header's bytes summed with the checksum field read as spaces.
  header.fill(' ', 148, 156);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([header, data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

export const tarOf = (...entries: Buffer[]) => Buffer.concat([...entries, Buffer.alloc(1024)]);

async function collect(stream: NodeJS.ReadWriteStream, zeros: number): Promise<Buffer> {
  const out: Buffer[] = [];
  stream.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const chunk = Buffer.alloc(1024 * 1024);
  for (let left = zeros; left > 0; left -= chunk.length) {
    if (!stream.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await new Promise((r) => stream.once('drain', r));
  }
  stream.end();
  await done;
  return Buffer.concat(out);
}

/** A .tar.gz of one file of `bytes` zeros (about 1/1000 of that compressed). */
export async function zeroTarGz(name: string, bytes: number): Promise<Buffer> {
  const header = tarEntry(name, Buffer.alloc(0)).subarray(0, 512);
  header.write(`${bytes.toString(8).padStart(11, '0')}\0`, 124);
  header.fill(' ', 148, 156);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const gzip = createGzip();
  gzip.write(header);
  // The file's zeros, its padding to 512 bytes, and the two empty blocks that end a tar.
  return collect(gzip, bytes + ((512 - (bytes % 512)) % 512) + 1024);
}

/** A zip of one deflated file of `bytes` zeros whose headers claim `claimed` bytes. */
export async function lyingZip(name: string, bytes: number, claimed: number): Promise<Buffer> {
  const data = await collect(createDeflateRaw({ level: 9 }), bytes);
  const fileName = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt16LE(0x0800, 6); // UTF-8 names
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(0, 14); // crc32 (not checked by readers here)
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(claimed, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x0800, 8);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(0, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(claimed, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt32LE(0, 42); // offset of the local header
  const centralStart = local.length + fileName.length + data.length;
  const centralSize = central.length + fileName.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(centralStart, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

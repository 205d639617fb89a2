import { describe, expect, it } from 'vitest';
import { ExecStreamDemux } from './exec-stream-demux';

function frame(kind: number, text: string): Buffer {
  const header = Buffer.alloc(8);
  header[0] = kind;
  header.writeUInt32BE(Buffer.byteLength(text), 4);
  return Buffer.concat([header, Buffer.from(text)]);
}

describe('ExecStreamDemux', () => {
  it('splits stdout and stderr however the bytes are chunked', () => {
    const wire = Buffer.concat([frame(1, 'hello '), frame(2, 'PRAXIS-HOLDER x new\n'), frame(1, 'world')]);
    for (const size of [1, 3, 7, 8, 9, wire.length]) {
      const got: string[] = [];
      const demux = new ExecStreamDemux((kind, data) => got.push(`${kind}:${data.toString()}`));
      for (let i = 0; i < wire.length; i += size) demux.push(wire.subarray(i, i + size));
      const joined = (kind: string) => got.filter((g) => g.startsWith(kind)).map((g) => g.slice(kind.length + 1)).join('');
      expect(joined('stdout')).toBe('hello world');
      expect(joined('stderr')).toBe('PRAXIS-HOLDER x new\n');
    }
  });
});

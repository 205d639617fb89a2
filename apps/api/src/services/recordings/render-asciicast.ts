// A stored terminal recording as an asciicast v2 file (asciinema's format): a header line, then
// `[seconds, "o", text]` output and `[seconds, "r", "COLSxROWS"]` resize events, and a final "m"
// marker when the size limit cut it. Chunks are read from the database a few at a time, so a
// 16 MiB recording is streamed, not held; one UTF-8 decoder runs across chunks, so a character
// split between two is whole in the file.
import { StringDecoder } from 'node:string_decoder';
import { inflateRawSync } from 'node:zlib';
import type { DbClient, TerminalRecording } from '@praxis/db';

interface StoredMarks {
  output: [number, number][];
  resizes: [number, number, number, number][];
}

const BATCH = 32;

export async function* renderAsciicast(db: DbClient, rec: TerminalRecording): AsyncGenerator<string> {
  yield `${JSON.stringify({
    version: 2,
    width: rec.cols,
    height: rec.rows,
    timestamp: Math.floor(rec.startedAt.getTime() / 1000),
    env: { TERM: 'xterm-256color', SHELL: '/bin/bash' },
    title: `${rec.instanceId}/${rec.shell > 1 ? `${rec.node}@${rec.shell}` : rec.node}`,
  })}\n`;
  const decoder = new StringDecoder('utf8');
  // Several processes wrote with their own clocks: keep time moving forward.
  let last = 0;
  const time = (t: number) => (last = Math.max(last, t));
  const ids = await db.terminalRecordingChunk.findMany({ where: { recordingId: rec.id }, orderBy: [{ startOffset: 'asc' }, { id: 'asc' }], select: { id: true } });
  for (let b = 0; b < ids.length; b += BATCH) {
    const want = ids.slice(b, b + BATCH).map((r) => r.id);
    const rows = await db.terminalRecordingChunk.findMany({ where: { id: { in: want } }, orderBy: [{ startOffset: 'asc' }, { id: 'asc' }] });
    let out = '';
    for (const chunk of rows) {
      const { output, resizes } = chunk.marks as unknown as StoredMarks;
      const data = inflateRawSync(chunk.data);
      let r = 0;
      for (let m = 0; m < output.length; m++) {
        const [start, t] = output[m]!;
        while (r < resizes.length && resizes[r]![0] <= start) {
          const [, rt, cols, rows2] = resizes[r++]!;
          out += `${JSON.stringify([time(rt), 'r', `${cols}x${rows2}`])}\n`;
        }
        const end = m + 1 < output.length ? output[m + 1]![0] : data.length;
        const text = decoder.write(data.subarray(start, end));
        if (text) out += `${JSON.stringify([time(t), 'o', text])}\n`;
      }
      for (; r < resizes.length; r++) out += `${JSON.stringify([time(resizes[r]![1]), 'r', `${resizes[r]![2]}x${resizes[r]![3]}`])}\n`;
    }
    if (out) yield out;
  }
  if (rec.truncated) yield `${JSON.stringify([last, 'm', 'recording stopped: size limit reached'])}\n`;
}

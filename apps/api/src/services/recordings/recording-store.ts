// Terminal recordings in the database, written by whichever API processes relay a shell: the
// recording of a shell is found or created by (instance, node, shell, holder id), and a chunk is
// appended under a row lock on the recording, keeping only the bytes past what it already holds
// (holder offsets), so a byte relayed by two processes is stored once. Chunks are stored
// deflated (terminal output shrinks several times). At most 16 MiB of output per recording; past
// that it is marked truncated and the recorders stop sending.
import { deflateRawSync } from 'node:zlib';
import type { DbClient, Prisma } from '@praxis/db';

/* The terminal's recorder writes through this interface (terminal-recorder.ts). */
/** Where the holder's bytes are kept; implemented over the database by the recordings service. */
export interface RecordingSink {
  /** Finds or creates the recording of this shell; returns its id and start time. */
  open(meta: RecordingMeta): Promise<{ id: string; startedAt: Date }>;
  /**
   * Appends bytes that start at holder offset `offset`, with when they arrived (`marks`: byte
   * index in `data`, seconds since the recording started) and resizes. Bytes the recording
   * already holds (another process relayed them) are skipped.
   */
  append(recordingId: string, chunk: RecordingChunk): Promise<{ full: boolean }>;
}

export interface RecordingMeta {
  instanceId: string;
  node: string;
  shell: number;
  /** The holder's id: a new shell is a new recording. */
  shellId: string;
  cols: number;
  rows: number;
  /** Holder offset of the first byte this process will record. */
  startOffset: number;
}

export interface RecordingChunk {
  offset: number;
  data: Buffer;
  marks: [number, number][];
  resizes: [number, number, number, number][];
}

export const MAX_RECORDING_BYTES = 16 * 1024 * 1024;

/** `<node>[@<shell>]-<ISO time with : and . as ->.cast` */
export function recordingFileName(node: string, shell: number, startedAt: Date): string {
  return `${shell > 1 ? `${node}@${shell}` : node}-${startedAt.toISOString().replace(/[:.]/g, '-')}.cast`;
}

/** The part of `chunk` from byte `from` on, with its marks re-based (the first keeps its time). */
export function sliceChunk(chunk: RecordingChunk, from: number, to: number): RecordingChunk {
  const at = (i: number) => Math.min(Math.max(i - from, 0), to - from);
  const marks: [number, number][] = [];
  for (const [i, t] of chunk.marks) {
    if (i >= to) break;
    if (i <= from) marks.splice(0, marks.length, [0, t]);
    else marks.push([at(i), t]);
  }
  return {
    offset: chunk.offset + from,
    data: chunk.data.subarray(from, to),
    marks,
    // A resize this process saw stays, at the first byte not already held when its bytes were.
    resizes: chunk.resizes.filter(([i]) => i <= to).map(([i, t, c, r]) => [at(i), t, c, r]),
  };
}

export function createRecordingStore(db: DbClient): RecordingSink {
  return {
    async open(meta: RecordingMeta) {
      const where = { instanceId_node_shell_shellId: { instanceId: meta.instanceId, node: meta.node, shell: meta.shell, shellId: meta.shellId } };
      const startedAt = new Date();
      const row = await db.terminalRecording.upsert({
        where,
        update: {},
        create: {
          instanceId: meta.instanceId,
          node: meta.node,
          shell: meta.shell,
          shellId: meta.shellId,
          file: recordingFileName(meta.node, meta.shell, startedAt),
          startedAt,
          cols: meta.cols,
          rows: meta.rows,
          startOffset: BigInt(meta.startOffset),
          endOffset: BigInt(meta.startOffset),
        },
        select: { id: true, startedAt: true },
      });
      return row;
    },

    async append(recordingId: string, chunk: RecordingChunk) {
      return db.$transaction(async (tx) => {
        const [rec] = await tx.$queryRaw<{ start_offset: bigint; end_offset: bigint; truncated: boolean }[]>`
          SELECT start_offset, end_offset, truncated FROM terminal_recordings WHERE id = ${recordingId}::uuid FOR UPDATE`;
        if (!rec || rec.truncated) return { full: true };
        const end = Number(rec.end_offset);
        // Bytes already held (relayed by another process) are skipped; a gap (no process was
        // attached) is left as a gap. Resizes alone (no new bytes) still count.
        const from = Math.max(0, end - chunk.offset);
        if (from >= chunk.data.length && chunk.resizes.length === 0) return { full: false };
        const room = MAX_RECORDING_BYTES - (Math.max(end, chunk.offset) - Number(rec.start_offset));
        const to = Math.min(chunk.data.length, from + Math.max(0, room));
        const part = sliceChunk(chunk, Math.min(from, chunk.data.length), to);
        const truncated = to < chunk.data.length;
        await tx.terminalRecordingChunk.create({
          data: {
            recordingId,
            startOffset: BigInt(part.offset),
            data: new Uint8Array(deflateRawSync(part.data, { level: 1 })),
            marks: { output: part.marks, resizes: part.resizes } as unknown as Prisma.InputJsonValue,
          },
        });
        await tx.terminalRecording.update({ where: { id: recordingId }, data: { endOffset: BigInt(Math.max(end, part.offset + part.data.length)), truncated } });
        return { full: truncated };
      });
    },
  };
}

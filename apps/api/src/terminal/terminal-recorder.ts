// Records one shell's output for staff replay through a store all API processes share (the
// database: recording-store.ts). Output is kept by the holder's own byte offsets, so when several
// processes relay the same shell each byte is stored once. Writes are batched (every half second
// or 64 KiB), stop once the recording is full, and never slow the terminal: when the store lags, output beyond 1 MiB waiting is
// dropped from the recording rather than buffered without bound.

import type { RecordingChunk, RecordingMeta, RecordingSink } from '../services/recordings/recording-store';

export type { RecordingSink };

const FLUSH_MS = 500;
const FLUSH_BYTES = 64 * 1024;
const MAX_PENDING = 1024 * 1024;

export class TerminalRecorder {
  private recording: Promise<{ id: string; startedAt: Date } | undefined>;
  private pending: { offset: number; parts: Buffer[]; size: number; marks: [number, number][]; resizes: [number, number, number, number][] } | undefined;
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Bytes handed to the store and not yet written. */
  private inFlight = 0;
  /** Until the recording's start time is known, times count from this process's start of it. */
  private readonly localStart = Date.now();

  constructor(
    private readonly sink: RecordingSink,
    meta: RecordingMeta,
  ) {
    // A store that fails (database away) costs the recording, never the terminal.
    this.recording = sink.open(meta).catch(() => undefined);
  }

  /** Seconds since this process began recording (re-based on the recording's start when written). */
  private seconds(): number {
    return Math.round(Date.now() - this.localStart) / 1000;
  }

  /** Output that starts at holder offset `offset`. */
  output(chunk: Buffer, offset: number): void {
    if (this.stopped || chunk.length === 0) return;
    const p = this.pendingAt(offset);
    if (!p) return;
    p.marks.push([p.size, this.seconds()]);
    p.parts.push(chunk);
    p.size += chunk.length;
    if (p.size >= FLUSH_BYTES) this.flush();
  }

  resize(cols: number, rows: number, offset: number): void {
    if (this.stopped) return;
    const p = this.pendingAt(offset);
    p?.resizes.push([p.size, this.seconds(), cols, rows]);
  }

  /** The batch being filled, which must end at `offset` (a gap starts a new batch). */
  private pendingAt(offset: number) {
    if (this.pending && this.pending.offset + this.pending.size !== offset) this.flush();
    if (!this.pending) {
      if (this.inFlight > MAX_PENDING) return undefined; // the store is behind: drop, do not buffer
      this.pending = { offset, parts: [], size: 0, marks: [], resizes: [] };
      this.timer = setTimeout(() => this.flush(), FLUSH_MS);
      this.timer.unref();
    }
    return this.pending;
  }

  private flush(): void {
    clearTimeout(this.timer);
    const p = this.pending;
    this.pending = undefined;
    if (!p || (p.size === 0 && p.resizes.length === 0)) return;
    this.inFlight += p.size;
    this.writing = this.writing
      .then(async () => {
        const rec = await this.recording;
        if (!rec) return;
        // Times were taken against this process's clock from its own start; re-base them on the recording's.
        const shift = (this.localStart - rec.startedAt.getTime()) / 1000;
        const at = (t: number) => Math.max(0, Math.round((t + shift) * 1000) / 1000);
        const { full } = await this.sink.append(rec.id, {
          offset: p.offset,
          data: Buffer.concat(p.parts),
          marks: p.marks.map(([i, t]) => [i, at(t)]),
          resizes: p.resizes.map(([i, t, c, r]) => [i, at(t), c, r]),
        });
        // The recording reached its size limit: nothing more is sent for it.
        if (full) this.stopped = true;
      })
      .catch(() => undefined)
      .finally(() => (this.inFlight -= p.size));
  }

  /** Writes what is pending and stops. */
  async close(): Promise<void> {
    this.flush();
    this.stopped = true;
    await this.writing;
  }
}

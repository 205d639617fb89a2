// The recent output of one shell, addressed by absolute byte offset since the shell started (the
// holder's count, the same in every API process relaying the shell). A reconnecting client says
// which offset it has and gets exactly the bytes after it: nothing lost within the ring's
// capacity, nothing repeated. Memory is fixed at the capacity.
export class OutputRing {
  private readonly buf: Buffer;
  /** Absolute offset of the next byte to be written. */
  private endOffset: number;

  /** `base`: the offset of the first byte that will be pushed (where this process joined the shell). */
  constructor(
    readonly capacity: number,
    private readonly base = 0,
  ) {
    this.buf = Buffer.alloc(capacity);
    this.endOffset = base;
  }

  get end(): number {
    return this.endOffset;
  }

  /** Oldest offset still held. */
  get start(): number {
    return Math.max(this.base, this.endOffset - this.capacity);
  }

  push(chunk: Buffer): void {
    let data = chunk;
    if (data.length > this.capacity) data = data.subarray(data.length - this.capacity);
    const at = (this.endOffset + (chunk.length - data.length)) % this.capacity;
    const first = Math.min(data.length, this.capacity - at);
    data.copy(this.buf, at, 0, first);
    if (first < data.length) data.copy(this.buf, 0, first);
    this.endOffset += chunk.length;
  }

  /** Bytes from `from` (clamped to what is held) to the end. */
  slice(from: number): { offset: number; data: Buffer } {
    const offset = Math.min(Math.max(from, this.start), this.endOffset);
    const length = this.endOffset - offset;
    const at = offset % this.capacity;
    const first = Math.min(length, this.capacity - at);
    const data = Buffer.alloc(length);
    this.buf.copy(data, 0, at, at + first);
    if (first < length) this.buf.copy(data, first, 0, length - first);
    return { offset, data };
  }

  /**
   * Where a client with nothing on screen should start: at most `maxBytes` back, moved forward
   * to just after a line break so the replay does not begin inside an escape sequence.
   */
  freshStart(maxBytes: number): number {
    const from = Math.max(this.start, this.endOffset - maxBytes);
    // Only the shell's very first byte is a line start for sure (a replay from the holder may begin mid-line).
    if (from === 0) return 0;
    const { data } = this.slice(from);
    const newline = data.indexOf(0x0a);
    return newline === -1 ? from : from + newline + 1;
  }
}

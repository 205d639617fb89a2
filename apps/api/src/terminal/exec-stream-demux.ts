// Splits Docker's multiplexed attach stream (non-TTY exec) into stdout and stderr payloads, one
// chunk at a time and without buffering beyond one frame, so pausing the socket pauses the
// output (docker-modem's demuxStream writes to its outputs regardless of backpressure).
// Frame: byte 0 = stream (1 stdout, 2 stderr), bytes 4..7 = payload length big-endian.
export class ExecStreamDemux {
  private header = Buffer.alloc(0);
  private remaining = 0;
  private kind = 0;

  constructor(private readonly onPayload: (kind: 'stdout' | 'stderr', data: Buffer) => void) {}

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining === 0) {
        const need = 8 - this.header.length;
        this.header = Buffer.concat([this.header, chunk.subarray(at, at + need)]);
        at += Math.min(need, chunk.length - at);
        if (this.header.length < 8) return;
        this.kind = this.header[0]!;
        this.remaining = this.header.readUInt32BE(4);
        this.header = Buffer.alloc(0);
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - at);
      const data = chunk.subarray(at, at + take);
      at += take;
      this.remaining -= take;
      if (this.kind === 1) this.onPayload('stdout', data);
      else if (this.kind === 2) this.onPayload('stderr', data);
    }
  }
}

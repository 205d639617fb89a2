// Records one shell's output as an asciicast v2 file (asciinema's format) so an instructor can
// replay it. Writes are asynchronous and never slow the terminal: when the disk lags, or the
// file reaches its size cap, further output is dropped from the recording (and a marker says so).
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

export interface RecorderOptions {
  dir: string;
  instanceId: string;
  node: string;
  /** Which shell of the node (1-based); shells after the first are named `<node>@<shell>-...`. */
  shell?: number;
  cols: number;
  rows: number;
  /** Bytes of file at most; 16 MiB by default. */
  maxBytes?: number;
}

const MAX_PENDING = 1024 * 1024;

export class TerminalRecorder {
  readonly path: string;
  private readonly out: WriteStream;
  private readonly decoder = new StringDecoder('utf8');
  private readonly started = performance.now();
  private readonly maxBytes: number;
  private written = 0;
  private stopped = false;

  constructor(options: RecorderOptions) {
    const dir = join(options.dir, options.instanceId);
    mkdirSync(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const name = (options.shell ?? 1) > 1 ? `${options.node}@${options.shell}` : options.node;
    this.path = join(dir, `${name}-${stamp}.cast`);
    this.maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
    this.out = createWriteStream(this.path, { flags: 'wx' });
    this.out.on('error', () => {
      this.stopped = true;
    });
    this.writeLine(
      JSON.stringify({
        version: 2,
        width: options.cols,
        height: options.rows,
        timestamp: Math.floor(Date.now() / 1000),
        env: { TERM: 'xterm-256color', SHELL: '/bin/bash' },
        title: `${options.instanceId}/${name}`,
      }),
    );
  }

  private elapsed(): number {
    return Math.round(performance.now() - this.started) / 1000;
  }

  private writeLine(line: string): void {
    this.out.write(line + '\n');
    this.written += Buffer.byteLength(line) + 1;
  }

  private event(kind: 'o' | 'r' | 'm', data: string): void {
    if (this.stopped) return;
    const line = JSON.stringify([this.elapsed(), kind, data]);
    if (this.written + line.length + 200 > this.maxBytes) {
      this.writeLine(JSON.stringify([this.elapsed(), 'm', 'recording stopped: size limit reached']));
      this.stopped = true;
      return;
    }
    if (this.out.writableLength > MAX_PENDING) return; // disk behind: drop rather than buffer without bound
    this.writeLine(line);
  }

  output(chunk: Buffer): void {
    if (this.stopped) return;
    const text = this.decoder.write(chunk);
    if (text) this.event('o', text);
  }

  resize(cols: number, rows: number): void {
    this.event('r', `${cols}x${rows}`);
  }

  async close(): Promise<void> {
    this.stopped = true;
    await new Promise<void>((resolve) => this.out.end(resolve));
  }
}

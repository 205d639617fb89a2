// One shell in one node, shared by every browser tab this process serves. The shell lives in a
// holder daemon inside the node (shell-holder.ts), so it survives this server, and other API
// processes attach to the same holder beside this one without taking it away; the session is one
// Docker exec attached to it, the recent output in a ring addressed by the holder's own offsets
// (so a reconnect resumes at the exact byte it stopped, whichever process it reaches), flow
// control across all attached clients, and the recording. Talks to Docker, its clients and the
// recording store through small interfaces; knows nothing of HTTP.
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { containerState, execInContainer, nodeContainerName, openExecStream, type Docker } from '@praxis/sandbox';
import {
  CloseCode,
  FLOW_HIGH_WATER,
  FLOW_LOW_WATER,
  encodeOutput,
  encodeStatus,
  type TerminalMode,
} from '@praxis/terminal-protocol';
import { ExecStreamDemux } from './exec-stream-demux';
import { OutputRing } from './output-ring';
import { HOLDER_FRAME, HOLDER_SCRIPT, holderFrame, holderPaths } from './shell-holder';
import { TerminalRecorder, type RecordingSink } from './terminal-recorder';

/** The session's view of one attached WebSocket. */
export interface TerminalPeer {
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface TerminalClient {
  readonly peer: TerminalPeer;
  readonly mode: TerminalMode;
  /** Output bytes sent to this client and not yet acknowledged as rendered. */
  unacked: number;
}

export interface TerminalSessionOptions {
  docker: Docker;
  instanceId: string;
  node: string;
  /** Which shell of the node (1-based; each has a holder of its own). */
  shell?: number;
  /** Where recordings go; no recording when absent. */
  recordings?: RecordingSink;
  ringBytes?: number;
  /** Called once the shell is gone, whatever the reason. */
  onEnded?: (session: TerminalSession) => void;
}

export interface ResumePoint {
  sessionId: string;
  offset: number;
}

/**
 * The environment and directory of every learner shell (the holder runs `bash -l` with them); the
 * terminal benchmark gives its baseline's shell the same.
 */
export const SHELL_ENV = ['TERM=xterm-256color', 'LANG=C.UTF-8', 'COLORTERM=truecolor', 'HOME=/root'];
export const SHELL_DIR = '/root';

/** Largest output frame sent to a client; larger Docker reads are split. */
const MAX_FRAME = 64 * 1024;
/** A client with an empty screen gets at most this much recent output replayed. */
const FRESH_REPLAY_BYTES = 64 * 1024;

export class TerminalSession {
  /** This attachment's own id (logs). */
  readonly id = randomBytes(6).toString('hex');
  readonly clients = new Set<TerminalClient>();
  cols = 80;
  rows = 24;
  private ring: OutputRing;
  private stream?: Duplex;
  private recorder?: TerminalRecorder;
  /**
   * The id of the byte stream clients resume in: the holder's id when the holder gives offsets
   * (the same in every process), else this attachment's own (a holder from an older server).
   */
  streamId = this.id;
  private paused = false;
  private ended = false;
  /** The hang-up of the shell once close() started it. */
  private closing?: Promise<void>;
  /** The shell's identity inside the node: the same after a server restart. */
  shellId = '';
  /** False after re-attaching to a running shell: its size is whatever its last window gave it. */
  private sizeKnown = true;

  private constructor(private readonly options: TerminalSessionOptions) {
    this.ring = new OutputRing(options.ringBytes ?? 256 * 1024);
  }

  get shell(): number {
    return this.options.shell ?? 1;
  }

  get containerName(): string {
    return nodeContainerName(this.options.instanceId, this.options.node);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Whether reading from Docker is paused because a client is behind (exposed for tests). */
  get isPaused(): boolean {
    return this.paused;
  }

  /** Starts a login shell in the node. Throws Docker's error (statusCode 404/409) when the node is gone. */
  static async open(options: TerminalSessionOptions): Promise<TerminalSession> {
    const session = new TerminalSession(options);
    await session.start();
    return session;
  }

  private async start(): Promise<void> {
    const stream = await openExecStream(this.options.docker, this.containerName, ['perl', '-e', HOLDER_SCRIPT, this.id, String(this.cols), String(this.rows), String(this.shell)], {
      env: SHELL_ENV,
      workingDir: SHELL_DIR,
    });
    this.stream = stream;
    // The attach relay announces the holder (and the offsets of its replay) on stderr before any
    // output; Docker may still deliver a stdout frame first, so output waits for the announcement.
    let hello = '';
    let early: Buffer[] | undefined = [];
    let replayEnd = 0;
    let replayed: (() => void) | undefined;
    const announced = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the shell holder in node "${this.options.node}" did not answer: ${hello.trim()}`)), 10_000);
      const demux = new ExecStreamDemux((kind, data) => {
        if (kind === 'stdout') {
          if (early) early.push(data);
          else this.onOutput(data);
          if (replayed && this.ring.end >= replayEnd) replayed();
          return;
        }
        // Later stderr (perl's complaints) is shown only where offsets are this process's own.
        if (this.shellId) return this.streamId === this.id ? this.onOutput(data) : undefined;
        hello += data.toString('utf8');
        const line = /PRAXIS-HOLDER (\S+) (new|existing) (\d+|-) (\d+|-)\n/.exec(hello);
        if (line) {
          clearTimeout(timer);
          this.shellId = line[1]!;
          this.sizeKnown = line[2] === 'new';
          if (line[3] !== '-') {
            this.ring = new OutputRing(this.options.ringBytes ?? 256 * 1024, Number(line[3]));
            this.streamId = this.shellId;
            replayEnd = Number(line[4]);
          }
          this.startRecording();
          for (const chunk of early ?? []) this.onOutput(chunk);
          early = undefined;
          resolve();
        } else if (hello.length > 4096) {
          clearTimeout(timer);
          reject(new Error(`the shell holder in node "${this.options.node}" failed: ${hello.slice(0, 300)}`));
        }
      });
      stream.on('data', (chunk: Buffer) => demux.push(chunk));
      stream.on('end', () => {
        clearTimeout(timer);
        if (!this.shellId) reject(new Error(`the shell holder in node "${this.options.node}" exited: ${hello.trim()}`));
      });
    });
    stream.on('end', () => void this.onStreamEnded());
    stream.on('close', () => void this.onStreamEnded());
    stream.on('error', () => void this.onStreamEnded());
    await announced;
    // Clients attach once the replay is in the ring, so a resume point another process gave them is here.
    if (this.ring.end < replayEnd) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5000);
        replayed = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private startRecording(): void {
    if (!this.options.recordings || this.streamId !== this.shellId) return;
    this.recorder = new TerminalRecorder(this.options.recordings, {
      instanceId: this.options.instanceId,
      node: this.options.node,
      shell: this.shell,
      shellId: this.shellId,
      cols: this.cols,
      rows: this.rows,
      startOffset: this.ring.end,
    });
  }

  /** Sends a frame to the holder; input and resize stay in the order they were sent. */
  private toHolder(type: number, payload: Uint8Array): void {
    if (!this.stream || this.ended) return;
    for (let at = 0; at < payload.length || at === 0; at += 65535) {
      this.stream.write(holderFrame(type, payload.subarray(at, at + 65535)));
      if (payload.length === 0) break;
    }
  }

  private onOutput(chunk: Buffer): void {
    this.recorder?.output(chunk, this.ring.end);
    this.ring.push(chunk);
    for (const client of this.clients) this.sendOutput(client, chunk);
    this.updateFlow();
  }

  private sendOutput(client: TerminalClient, data: Buffer): void {
    for (let at = 0; at < data.length; at += MAX_FRAME) {
      const part = data.subarray(at, Math.min(data.length, at + MAX_FRAME));
      client.unacked += part.length;
      client.peer.send(encodeOutput(part));
    }
  }

  /** Pause Docker reads while any client is above the high-water mark; resume when all are below low. */
  private updateFlow(): void {
    if (!this.stream) return;
    let most = 0;
    for (const c of this.clients) most = Math.max(most, c.unacked);
    if (!this.paused && most > FLOW_HIGH_WATER) {
      this.paused = true;
      this.stream.pause();
    } else if (this.paused && most < FLOW_LOW_WATER) {
      this.paused = false;
      this.stream.resume();
    }
  }

  /**
   * Attaches a client. With a resume point of this same shell, it receives exactly the bytes after
   * that offset; otherwise (new tab, or the shell changed) the recent screen.
   */
  attach(peer: TerminalPeer, mode: TerminalMode, resume?: ResumePoint): TerminalClient {
    const client: TerminalClient = { peer, mode, unacked: 0 };
    let start: number;
    let skipped = 0;
    if (resume && resume.sessionId === this.streamId && resume.offset <= this.ring.end) {
      start = Math.max(resume.offset, this.ring.start);
      skipped = start - resume.offset;
    } else {
      start = this.ring.freshStart(FRESH_REPLAY_BYTES);
    }
    const { data } = this.ring.slice(start);
    peer.send(
      encodeStatus({
        sessionId: this.streamId,
        shellId: this.shellId,
        offset: start,
        mode,
        node: this.options.node,
        shell: this.shell,
        cols: this.cols,
        rows: this.rows,
        skipped,
      }),
    );
    this.clients.add(client);
    if (data.length > 0) this.sendOutput(client, data);
    this.updateFlow();
    return client;
  }

  /** A client went away; the shell stays. */
  leave(client: TerminalClient): void {
    this.clients.delete(client);
    this.updateFlow();
  }

  input(client: TerminalClient, data: Uint8Array): void {
    if (client.mode !== 'write') return;
    this.toHolder(HOLDER_FRAME.input, data);
  }

  resize(client: TerminalClient, cols: number, rows: number): void {
    if (client.mode !== 'write' || this.ended) return;
    if (this.sizeKnown && cols === this.cols && rows === this.rows) return;
    this.sizeKnown = true;
    this.cols = cols;
    this.rows = rows;
    this.recorder?.resize(cols, rows, this.ring.end);
    const size = Buffer.alloc(4);
    size.writeUInt16BE(cols, 0);
    size.writeUInt16BE(rows, 2);
    this.toHolder(HOLDER_FRAME.resize, size);
  }

  ack(client: TerminalClient, bytes: number): void {
    client.unacked = Math.max(0, client.unacked - bytes);
    this.updateFlow();
  }

  private async onStreamEnded(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    let code: number = CloseCode.shellExited;
    let reason = 'the shell exited; reconnect to start a new one';
    // The stream of a killed container can end before Docker reports the container stopped:
    // look twice, a moment apart, before calling it a plain shell exit.
    for (const delay of [0, 500]) {
      await new Promise((r) => setTimeout(r, delay));
      const state = await containerState(this.options.docker, this.containerName);
      if (state === 'running') continue;
      if (state === 'unreachable') {
        code = CloseCode.hostUnavailable;
        reason = 'the host of this machine is not answering; reconnecting';
      } else if (state === 'stopped') {
        code = CloseCode.instanceDestroyed;
        reason = `node "${this.options.node}" stopped`;
      } else {
        code = CloseCode.instanceDestroyed;
        reason = `instance ${this.options.instanceId} was destroyed`;
      }
      break;
    }
    this.finish(code, reason);
  }

  private finish(code: number, reason: string): void {
    this.ended = true;
    for (const c of this.clients) c.peer.close(code, reason);
    this.clients.clear();
    void this.recorder?.close();
    this.options.onEnded?.(this);
  }

  /**
   * Lets go of the shell without ending it: closes the clients with \`code\` and ends the exec by
   * closing its stdin (the relay exits on end of input). The shell keeps running in its holder
   * and the next session re-attaches to it.
   */
  async detach(code: number, reason: string): Promise<void> {
    if (this.ended) return;
    this.finish(code, reason);
    const stream = this.stream as (Duplex & { end(): void }) | undefined;
    stream?.end();
    // The relay exits at once; if the node is frozen, do not keep the socket forever.
    setTimeout(() => stream?.destroy(), 5000).unref();
  }

  /**
   * Ends the shell itself (time is up): closes the clients with \`code\`, then hangs up the
   * shell's whole session inside the node by the pid its holder recorded (HUP first, so bash
   * saves its history, then KILL). The holder and the exec exit with it. A second call (the
   * attempt's end after the expiry timer, say) waits for the first: the caller may pause the node
   * next, and an exec into a node must never be starting while it is paused (docker-call.ts).
   */
  close(code: number, reason: string): Promise<void> {
    if (this.closing) return this.closing;
    if (this.ended) return Promise.resolve();
    this.finish(code, reason);
    this.closing = (async () => {
      try {
        await execInContainer(
          this.options.docker,
          this.containerName,
          ['sh', '-c', 'p=$(cat "$0" 2>/dev/null) || exit 0; pkill -HUP -s "$p"; sleep 0.3; pkill -KILL -s "$p"; exit 0', holderPaths(this.shell).pidFile],
          { timeoutMs: 5000 },
        );
      } catch {
        // The node is gone, and the shell with it.
      }
      this.stream?.destroy();
    })();
    return this.closing;
  }
}

// One shell in one node, shared by every browser tab looking at it: a single Docker exec with a
// TTY, its recent output in a ring (so a reconnect resumes at the exact byte it stopped), flow
// control across all attached clients, and the asciicast recording. Talks to Docker and to its
// clients through small interfaces; knows nothing of HTTP.
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { execInContainer, nodeContainerName, type Docker } from '@praxis/sandbox';
import {
  CloseCode,
  FLOW_HIGH_WATER,
  FLOW_LOW_WATER,
  encodeOutput,
  encodeStatus,
  type TerminalMode,
} from '@praxis/terminal-protocol';
import { OutputRing } from './output-ring';
import { TerminalRecorder } from './terminal-recorder';

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
  /** Directory of recordings; no recording when absent. */
  recordingsDir?: string;
  ringBytes?: number;
  /** Called once the shell is gone, whatever the reason. */
  onEnded?: (session: TerminalSession) => void;
}

export interface ResumePoint {
  sessionId: string;
  offset: number;
}

/**
 * Starts the shell. It records its pid so the session can end it later: Docker has no API to
 * kill an exec, and closing the attach stream leaves the process running. A shell of this node
 * recorded earlier belongs to no live session (the server keeps one per node, so it was left by
 * a crashed server): it is hung up first. $0 is the session id.
 */
const START_SHELL = [
  'mkdir -p /run/praxis',
  'for f in /run/praxis/terminal-*.pid; do [ -f "$f" ] || continue; pkill -HUP -s "$(cat "$f")" 2>/dev/null; rm -f "$f"; done',
  'echo $$ > "/run/praxis/terminal-$0.pid"',
  'exec bash -l',
].join('; ');

/** Largest output frame sent to a client; larger Docker reads are split. */
const MAX_FRAME = 64 * 1024;
/** A client with an empty screen gets at most this much recent output replayed. */
const FRESH_REPLAY_BYTES = 64 * 1024;

export class TerminalSession {
  readonly id = randomBytes(6).toString('hex');
  readonly clients = new Set<TerminalClient>();
  cols = 80;
  rows = 24;
  private readonly ring: OutputRing;
  private stream?: Duplex;
  private recorder?: TerminalRecorder;
  private paused = false;
  private ended = false;

  private constructor(private readonly options: TerminalSessionOptions) {
    this.ring = new OutputRing(options.ringBytes ?? 256 * 1024);
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
    const container = this.options.docker.getContainer(this.containerName);
    const exec = await container.exec({
      Cmd: ['/bin/sh', '-c', START_SHELL, this.id],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      Env: ['TERM=xterm-256color', 'LANG=C.UTF-8', 'COLORTERM=truecolor'],
      WorkingDir: '/root',
    });
    const stream = await exec.start({ hijack: true, stdin: true, Tty: true });
    this.stream = stream;
    stream.on('data', (chunk: Buffer) => this.onOutput(chunk));
    stream.on('end', () => void this.onStreamEnded());
    stream.on('close', () => void this.onStreamEnded());
    stream.on('error', () => void this.onStreamEnded());
    this.resizeExec = (cols, rows) => exec.resize({ w: cols, h: rows }).then(() => undefined);
    await this.resizeExec(this.cols, this.rows).catch(() => undefined);
    if (this.options.recordingsDir) {
      try {
        this.recorder = new TerminalRecorder({
          dir: this.options.recordingsDir,
          instanceId: this.options.instanceId,
          node: this.options.node,
          cols: this.cols,
          rows: this.rows,
        });
      } catch {
        // A read-only or full disk must not cost the learner the terminal.
        this.recorder = undefined;
      }
    }
  }

  private resizeExec: (cols: number, rows: number) => Promise<void> = async () => undefined;

  private onOutput(chunk: Buffer): void {
    this.ring.push(chunk);
    this.recorder?.output(chunk);
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
    if (resume && resume.sessionId === this.id && resume.offset <= this.ring.end) {
      start = Math.max(resume.offset, this.ring.start);
      skipped = start - resume.offset;
    } else {
      start = this.ring.freshStart(FRESH_REPLAY_BYTES);
    }
    const { data } = this.ring.slice(start);
    peer.send(
      encodeStatus({ sessionId: this.id, offset: start, mode, node: this.options.node, cols: this.cols, rows: this.rows, skipped }),
    );
    this.clients.add(client);
    if (data.length > 0) this.sendOutput(client, data);
    this.updateFlow();
    return client;
  }

  detach(client: TerminalClient): void {
    this.clients.delete(client);
    this.updateFlow();
  }

  input(client: TerminalClient, data: Uint8Array): void {
    if (client.mode !== 'write' || this.ended || !this.stream) return;
    // Keystrokes typed after a resize must reach the shell after it (a `stty size` right after
    // the window changed), so input waits while a resize call to Docker is in flight.
    if (this.resizing) this.heldInput.push(data);
    else this.stream.write(data);
  }

  private resizing?: Promise<void>;
  private heldInput: Uint8Array[] = [];

  resize(client: TerminalClient, cols: number, rows: number): void {
    if (client.mode !== 'write' || this.ended) return;
    if (cols === this.cols && rows === this.rows) return;
    this.cols = cols;
    this.rows = rows;
    this.recorder?.resize(cols, rows);
    const done: Promise<void> = (this.resizing ?? Promise.resolve())
      .then(() => this.resizeExec(cols, rows))
      .catch(() => undefined)
      .then(() => {
        if (this.resizing !== done) return;
        this.resizing = undefined;
        for (const data of this.heldInput.splice(0)) this.stream?.write(data);
      });
    this.resizing = done;
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
      try {
        const info = await this.options.docker.getContainer(this.containerName).inspect();
        if (info.State.Running && !info.State.Restarting && info.State.Status === 'running') continue;
        code = CloseCode.instanceDestroyed;
        reason = `node "${this.options.node}" stopped`;
      } catch {
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
   * Ends the shell: closes the clients with `code`, then kills the shell's whole session inside
   * the node by the pid it recorded (HUP first, so bash saves its history, then KILL).
   */
  async close(code: number, reason: string): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.finish(code, reason);
    try {
      await execInContainer(
        this.options.docker,
        this.containerName,
        [
          'sh',
          '-c',
          'f="/run/praxis/terminal-$0.pid"; p=$(cat "$f" 2>/dev/null) || exit 0; pkill -HUP -s "$p"; sleep 0.3; pkill -KILL -s "$p"; rm -f "$f"; exit 0',
          this.id,
        ],
        { timeoutMs: 5000 },
      );
    } catch {
      // The node is gone, and the shell with it.
    }
    this.stream?.destroy();
  }
}

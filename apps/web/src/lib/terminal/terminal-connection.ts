// The browser side of one terminal connection: opens the WebSocket with a fresh token, resumes
// at the exact output offset after a drop (so nothing repeats and nothing is lost), reconnects
// with exponential backoff, acknowledges output once xterm.js has rendered it, and pings to
// notice a dead network. Knows nothing of xterm.js or Svelte.
import {
  FINAL_CLOSE_CODES,
  decodeServerMessage,
  encodeAck,
  encodeInput,
  encodePing,
  encodeResize,
  terminalSubprotocols,
  type TerminalStatus,
} from '@praxis/terminal-protocol';

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'connected'; mode: 'write' | 'read' }
  | { kind: 'reconnecting'; attempt: number; inMs: number; reason: string }
  | { kind: 'closed'; code: number; reason: string };

export interface ConnectionOptions {
  instanceId: string;
  node: string;
  /** Which shell of the node (1-based; a host may have several terminal tabs). */
  shell?: number;
  getToken: () => Promise<string>;
  /** Write output to the terminal and call `rendered` once it is on screen (flow control). */
  onOutput: (data: Uint8Array, rendered: () => void) => void;
  onState: (state: ConnectionState) => void;
  /** A notice to show in the terminal itself (e.g. "new shell"). */
  onNotice?: (text: string) => void;
  /** Clear the screen: the server replays the shell's recent output after a server restart. */
  onReset?: () => void;
  /** Base of the API, e.g. ws://127.0.0.1:8080; the page's origin by default. */
  baseUrl?: string;
}

const PING_EVERY_MS = 10_000;
const DEAD_AFTER_MS = 25_000;
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 15_000;
const HELD_INPUT_MAX = 4096;

export class TerminalConnection {
  private ws?: WebSocket;
  private attempt = 0;
  private sessionId?: string;
  private shellId?: string;
  /** Absolute offset of the next output byte expected from the server. */
  private offset = 0;
  private size?: { cols: number; rows: number };
  private disposed = false;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private pingTimer?: ReturnType<typeof setInterval>;
  private lastHeard = 0;
  private attached = false;
  private heldInput = '';

  constructor(private readonly options: ConnectionOptions) {}

  start(): void {
    void this.open();
  }

  send(text: string): void {
    if (this.attached && this.ws?.readyState === WebSocket.OPEN) this.ws.send(encodeInput(text));
    // Typed during a blip: kept (a little) and sent once the shell is back, as ssh would.
    else if (this.heldInput.length + text.length <= HELD_INPUT_MAX) this.heldInput += text;
  }

  resize(cols: number, rows: number): void {
    this.size = { cols, rows };
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(encodeResize(cols, rows));
  }

  /** Drops the socket as a network failure would (used by the e2e test and the "reconnect" button). */
  drop(): void {
    this.ws?.close(4999, 'dropped by the client');
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.ws?.close(1000, 'closed by the page');
  }

  private url(): string {
    const base = this.options.baseUrl ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
    const params = new URLSearchParams();
    if ((this.options.shell ?? 1) > 1) params.set('shell', String(this.options.shell));
    if (this.sessionId) {
      params.set('session', this.sessionId);
      params.set('offset', String(this.offset));
    }
    const path = `${base}/api/terminal/${encodeURIComponent(this.options.instanceId)}/${encodeURIComponent(this.options.node)}`;
    return params.size > 0 ? `${path}?${params}` : path;
  }

  private async open(): Promise<void> {
    if (this.disposed) return;
    if (this.attempt === 0) this.options.onState({ kind: 'connecting' });
    let token: string;
    try {
      token = await this.options.getToken();
    } catch (error) {
      this.retry(error instanceof Error ? error.message : 'no terminal token');
      return;
    }
    if (this.disposed) return;
    // The token rides in the subprotocol list, not the URL, so it never lands in access logs.
    const ws = new WebSocket(this.url(), terminalSubprotocols(token));
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    let attached = false;

    ws.onmessage = (event) => {
      this.lastHeard = Date.now();
      const message = decodeServerMessage(new Uint8Array(event.data as ArrayBuffer));
      if (message.type === 'status') {
        this.onStatus(message.status);
        attached = true;
        this.attached = true;
        this.attempt = 0;
        if (this.size) ws.send(encodeResize(this.size.cols, this.size.rows));
        if (this.heldInput && message.status.mode === 'write') ws.send(encodeInput(this.heldInput));
        this.heldInput = '';
        this.options.onState({ kind: 'connected', mode: message.status.mode });
      } else if (message.type === 'output') {
        const length = message.data.length;
        this.offset += length;
        this.options.onOutput(message.data, () => {
          if (ws.readyState === WebSocket.OPEN) ws.send(encodeAck(length));
        });
      }
    };
    ws.onopen = () => {
      this.lastHeard = Date.now();
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => {
        if (Date.now() - this.lastHeard > DEAD_AFTER_MS) ws.close(4998, 'no answer from the server');
        else if (ws.readyState === WebSocket.OPEN) ws.send(encodePing());
      }, PING_EVERY_MS);
    };
    ws.onclose = (event) => {
      clearInterval(this.pingTimer);
      if (this.ws !== ws || this.disposed) return;
      this.attached = false;
      if (FINAL_CLOSE_CODES.has(event.code)) {
        this.options.onState({ kind: 'closed', code: event.code, reason: event.reason || 'the terminal was closed' });
        return;
      }
      // Before attaching, the browser hides why (a 401/403 upgrade refusal looks like 1006); a
      // fresh token is fetched on every attempt, so an expired one heals itself.
      this.retry(attached ? event.reason || 'connection lost' : 'could not connect');
    };
  }

  private onStatus(status: TerminalStatus): void {
    if (this.sessionId && status.sessionId !== this.sessionId && status.shellId === this.shellId) {
      // Same shell, new server: its replay of the recent screen replaces ours, not adds to it.
      this.options.onReset?.();
    } else if (this.sessionId && status.sessionId !== this.sessionId) {
      this.options.onNotice?.('\r\n\x1b[33m[the previous shell ended; this is a new one]\x1b[0m\r\n');
    } else if (status.skipped > 0) {
      this.options.onNotice?.(`\r\n\x1b[33m[${status.skipped} bytes of output were lost while disconnected]\x1b[0m\r\n`);
    }
    this.sessionId = status.sessionId;
    this.shellId = status.shellId;
    this.offset = status.offset;
  }

  private retry(reason: string): void {
    if (this.disposed) return;
    this.attempt += 1;
    const exp = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** (this.attempt - 1));
    const inMs = Math.round(exp / 2 + Math.random() * (exp / 2));
    this.options.onState({ kind: 'reconnecting', attempt: this.attempt, inMs, reason });
    this.retryTimer = setTimeout(() => void this.open(), inMs);
  }
}

// The browser connection's decisions, against a fake WebSocket: resuming at the received offset,
// backing off with a counted attempt, stopping on final close codes, and keeping what was typed
// during a blip.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ClientType,
  CloseCode,
  decodeClientMessage,
  encodeOutput,
  encodeStatus,
  type TerminalStatus,
} from '@praxis/terminal-protocol';
import { TerminalConnection, type ConnectionState } from './terminal-connection';

class FakeSocket {
  static OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  binaryType = 'blob';
  sent: Uint8Array[] = [];
  onopen?: () => void;
  onmessage?: (event: { data: ArrayBuffer }) => void;
  onclose?: (event: { code: number; reason: string }) => void;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    FakeSocket.all.push(this);
  }
  send(data: Uint8Array) {
    this.sent.push(data);
  }
  close(code = 1000, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(frame: Uint8Array) {
    this.onmessage?.({ data: frame.slice().buffer });
  }
  inputs(): string {
    return this.sent
      .map((f) => decodeClientMessage(f))
      .filter((m) => m.type === 'input')
      .map((m) => new TextDecoder().decode((m as { data: Uint8Array }).data))
      .join('');
  }
}

const status = (over: Partial<TerminalStatus> = {}): TerminalStatus => ({
  sessionId: 'aaaaaaaaaaaa',
  shellId: 'shell1',
  shell: 1,
  offset: 0,
  mode: 'write',
  node: 'a',
  cols: 80,
  rows: 24,
  skipped: 0,
  ...over,
});

let states: ConnectionState[];
let written: string[];

function connect() {
  states = [];
  written = [];
  const connection = new TerminalConnection({
    instanceId: 'px0123456789',
    node: 'a',
    baseUrl: 'ws://test',
    getToken: async () => 'tok',
    onOutput: (data, rendered) => {
      written.push(new TextDecoder().decode(data));
      rendered();
    },
    onState: (s) => states.push(s),
  });
  connection.start();
  return connection;
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.all = [];
  vi.stubGlobal('WebSocket', FakeSocket);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('TerminalConnection', () => {
  it('sends its token as a subprotocol and acks rendered output', async () => {
    const c = connect();
    await vi.advanceTimersByTimeAsync(0);
    const ws = FakeSocket.all[0]!;
    expect(ws.url).toBe('ws://test/api/terminal/px0123456789/a');
    expect(ws.protocols).toEqual(['praxis.terminal.v1', 'bearer.tok']);
    ws.open();
    ws.receive(encodeStatus(status()));
    ws.receive(encodeOutput(new TextEncoder().encode('hello')));
    expect(written).toEqual(['hello']);
    const acks = ws.sent.map((f) => decodeClientMessage(f)).filter((m) => m.type === 'ack');
    expect(acks).toEqual([{ type: 'ack', bytes: 5 }]);
    expect(states.at(-1)).toEqual({ kind: 'connected', mode: 'write' });
    c.dispose();
  });

  it('reconnects with backoff and resumes at the offset it has, keeping what was typed meanwhile', async () => {
    const c = connect();
    await vi.advanceTimersByTimeAsync(0);
    const first = FakeSocket.all[0]!;
    first.open();
    first.receive(encodeStatus(status({ offset: 100 })));
    first.receive(encodeOutput(new Uint8Array(20)));
    first.close(1006, '');
    expect(states.at(-1)).toMatchObject({ kind: 'reconnecting', attempt: 1 });
    c.send('ls\r');
    await vi.advanceTimersByTimeAsync(1000);
    const second = FakeSocket.all[1]!;
    expect(second.url).toBe('ws://test/api/terminal/px0123456789/a?session=aaaaaaaaaaaa&offset=120');
    second.open();
    expect(second.inputs()).toBe('');
    second.receive(encodeStatus(status({ offset: 120 })));
    expect(second.inputs()).toBe('ls\r');
    // A second failure in a row waits longer and counts the attempt.
    second.close(1006, '');
    const waits = states.filter((s) => s.kind === 'reconnecting').map((s) => (s as { inMs: number }).inMs);
    expect(states.at(-1)).toMatchObject({ kind: 'reconnecting', attempt: 1 });
    await vi.advanceTimersByTimeAsync(1000);
    FakeSocket.all[2]!.close(1006, '');
    expect(states.at(-1)).toMatchObject({ kind: 'reconnecting', attempt: 2 });
    expect(waits.every((w) => w >= 250 && w <= 500)).toBe(true);
    expect((states.at(-1) as { inMs: number }).inMs).toBeGreaterThanOrEqual(500);
    c.dispose();
  });

  it('stops on a final close code and shows its reason', async () => {
    const c = connect();
    await vi.advanceTimersByTimeAsync(0);
    const ws = FakeSocket.all[0]!;
    ws.open();
    ws.receive(encodeStatus(status()));
    ws.close(CloseCode.timeUp, 'time is up for instance px0123456789');
    expect(states.at(-1)).toEqual({ kind: 'closed', code: 4408, reason: 'time is up for instance px0123456789' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    c.dispose();
  });

  it('never sends input on a read-only connection, even what was held', async () => {
    const c = connect();
    c.send('rm -rf /\r');
    await vi.advanceTimersByTimeAsync(0);
    const ws = FakeSocket.all[0]!;
    ws.open();
    ws.receive(encodeStatus(status({ mode: 'read' })));
    expect(ws.sent.some((f) => f[0] === ClientType.input)).toBe(false);
    c.dispose();
  });
});

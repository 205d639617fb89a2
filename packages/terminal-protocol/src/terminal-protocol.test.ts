import { describe, expect, it } from 'vitest';
import {
  ProtocolError,
  decodeClientMessage,
  decodeServerMessage,
  encodeAck,
  encodeInput,
  encodeOutput,
  encodePing,
  encodeResize,
  encodeStatus,
  terminalSubprotocols,
  tokenFromSubprotocols,
} from './terminal-protocol';

describe('terminal protocol', () => {
  it('round-trips every client message', () => {
    expect(decodeClientMessage(encodeInput('ls -l\r'))).toEqual({ type: 'input', data: new TextEncoder().encode('ls -l\r') });
    expect(decodeClientMessage(encodeResize(132, 43))).toEqual({ type: 'resize', cols: 132, rows: 43 });
    expect(decodeClientMessage(encodeAck(70_000))).toEqual({ type: 'ack', bytes: 70_000 });
    expect(decodeClientMessage(encodePing(new Uint8Array([1, 2])))).toEqual({ type: 'ping', data: new Uint8Array([1, 2]) });
  });

  it('round-trips server messages, output bytes untouched', () => {
    const raw = new Uint8Array([0x1b, 0x5b, 0x41, 0xff, 0x00]);
    expect(decodeServerMessage(encodeOutput(raw))).toEqual({ type: 'output', data: raw });
    const status = { sessionId: 's1', shellId: 'h1', offset: 42, mode: 'read' as const, node: 'a', shell: 1, cols: 80, rows: 24, skipped: 0 };
    expect(decodeServerMessage(encodeStatus(status))).toEqual({ type: 'status', status });
  });

  it('rejects malformed client frames with a protocol error', () => {
    expect(() => decodeClientMessage(new Uint8Array([]))).toThrow(ProtocolError);
    expect(() => decodeClientMessage(new Uint8Array([0x7f, 1]))).toThrow(/unknown client frame type 0x7f/);
    expect(() => decodeClientMessage(new Uint8Array([0x02, 0, 80]))).toThrow(/resize frame must carry 4 bytes/);
    expect(() => decodeClientMessage(encodeResize(0, 24))).toThrow(/out of range/);
    // A server frame sent by a client is not accepted.
    expect(() => decodeClientMessage(encodeOutput(new Uint8Array([65])))).toThrow(ProtocolError);
  });

  it('carries the token as a subprotocol and reads it back from the header', () => {
    const header = terminalSubprotocols('abc.DEF-_1').join(', ');
    expect(tokenFromSubprotocols(header)).toBe('abc.DEF-_1');
    expect(tokenFromSubprotocols('praxis.terminal.v1')).toBeUndefined();
    expect(tokenFromSubprotocols(undefined)).toBeUndefined();
  });
});

// Message types, encoders and decoders of the terminal protocol. Every frame is one binary
// WebSocket message: byte 0 is the type, the rest is the payload. Client types are below 0x80,
// server types at or above, so a frame sent the wrong way round is recognisably wrong.

/** Client -> server. */
export const ClientType = {
  /** Keystrokes or pasted text, UTF-8. Ignored for read-only (watch) connections. */
  input: 0x01,
  /** Terminal size: uint16 cols, uint16 rows, big-endian. */
  resize: 0x02,
  /** Output bytes the terminal has rendered since the last ack: uint32 big-endian. */
  ack: 0x03,
  /** Liveness probe; the payload (any bytes, at most 64) comes back in a pong. */
  ping: 0x04,
} as const;

/** Server -> client. */
export const ServerType = {
  /** Raw terminal output bytes, in order, never duplicated. */
  output: 0x81,
  /** JSON status (see TerminalStatus): sent on attach and when something changes. */
  status: 0x82,
  /** Answer to a ping, same payload. */
  pong: 0x83,
} as const;

/** WebSocket close codes the server uses, with the reason sent alongside. */
export const CloseCode = {
  normal: 1000,
  /** Server shutting down; reconnect later. */
  goingAway: 1001,
  notAuthenticated: 4401,
  notAllowed: 4403,
  /** The instance or the node does not exist (or is not running). */
  notFound: 4404,
  /** The attempt's time is up (the instance expired). */
  timeUp: 4408,
  /** The lab was reset (practice): these machines are gone, the attempt has fresh ones. */
  labReset: 4409,
  /** The instance was destroyed while the terminal was open. */
  instanceDestroyed: 4410,
  /**
   * The Docker engine holding the machine does not answer (it may come back: the attempt keeps
   * its place for a grace period); not final, the client keeps reconnecting with back-off.
   */
  hostUnavailable: 4503,
  /** The shell in the node exited (e.g. the learner typed `exit`); reconnecting starts a new one. */
  shellExited: 4000,
  /** The client broke the protocol (unknown type, bad payload) or fell too far behind. */
  protocolError: 4002,
} as const;

/**
 * How the reason of a `timeUp` close begins when the learner submitted (the attempt ended, but
 * not by its deadline): the exam page and the terminal tell the two apart by it.
 */
export const SUBMITTED_REASON = 'the test was submitted';

/** Codes after which reconnecting cannot help. */
export const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.notAuthenticated,
  CloseCode.notAllowed,
  CloseCode.notFound,
  CloseCode.timeUp,
  CloseCode.labReset,
  CloseCode.instanceDestroyed,
  CloseCode.protocolError,
]);

/** Flow-control marks (xterm.js flow-control guide): stop reading above high, resume below low. */
export const FLOW_HIGH_WATER = 100_000;
export const FLOW_LOW_WATER = 10_000;

/**
 * The WebSocket subprotocol of this protocol. Browsers cannot set headers on a WebSocket, so the
 * token travels as a second offered subprotocol, `bearer.<token>`, which keeps it out of URLs and
 * access logs; the server answers with TERMINAL_SUBPROTOCOL. (`?token=` also works, for tools.)
 */
export const TERMINAL_SUBPROTOCOL = 'praxis.terminal.v1';
export const TOKEN_SUBPROTOCOL_PREFIX = 'bearer.';

export function terminalSubprotocols(token: string): string[] {
  return [TERMINAL_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${token}`];
}

/** The token offered in a Sec-WebSocket-Protocol header, if any. */
export function tokenFromSubprotocols(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(',')) {
    const value = part.trim();
    if (value.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) return value.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
  }
  return undefined;
}

export type TerminalMode = 'write' | 'read';

export interface TerminalStatus {
  /** The server's attachment to the shell; offsets count from its start. New after a server restart. */
  sessionId: string;
  /** The shell inside the node; the same after a server restart, new when the shell was restarted. */
  shellId: string;
  /** Absolute offset, in the session's output, of the next output byte this connection receives. */
  offset: number;
  mode: TerminalMode;
  node: string;
  /** Which shell of the node this connection shows (1-based; `?shell=<n>` on the route). */
  shell: number;
  cols: number;
  rows: number;
  /** Bytes that could not be replayed because they left the server's buffer (0 normally). */
  skipped: number;
}

export type ClientMessage =
  | { type: 'input'; data: Uint8Array }
  | { type: 'resize'; cols: number; rows: number }
  | { type: 'ack'; bytes: number }
  | { type: 'ping'; data: Uint8Array };

export type ServerMessage =
  | { type: 'output'; data: Uint8Array }
  | { type: 'status'; status: TerminalStatus }
  | { type: 'pong'; data: Uint8Array };

export class ProtocolError extends Error {
  readonly code = 'TERMINAL_PROTOCOL';
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

function frame(type: number, payloadLength: number): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(1 + payloadLength);
  bytes[0] = type;
  return { bytes, view: new DataView(bytes.buffer) };
}

function withPayload(type: number, data: Uint8Array): Uint8Array {
  const { bytes } = frame(type, data.length);
  bytes.set(data, 1);
  return bytes;
}

export function encodeInput(data: string | Uint8Array): Uint8Array {
  return withPayload(ClientType.input, typeof data === 'string' ? utf8.encode(data) : data);
}

export function encodeResize(cols: number, rows: number): Uint8Array {
  const { bytes, view } = frame(ClientType.resize, 4);
  view.setUint16(1, cols);
  view.setUint16(3, rows);
  return bytes;
}

export function encodeAck(bytesRendered: number): Uint8Array {
  const { bytes, view } = frame(ClientType.ack, 4);
  view.setUint32(1, bytesRendered);
  return bytes;
}

export function encodePing(data: Uint8Array = new Uint8Array(0)): Uint8Array {
  return withPayload(ClientType.ping, data.subarray(0, 64));
}

export function encodeOutput(data: Uint8Array): Uint8Array {
  return withPayload(ServerType.output, data);
}

export function encodeStatus(status: TerminalStatus): Uint8Array {
  return withPayload(ServerType.status, utf8.encode(JSON.stringify(status)));
}

export function encodePong(data: Uint8Array): Uint8Array {
  return withPayload(ServerType.pong, data);
}

/** A frame's first byte as errors show it: hex, or "(empty frame)" when there is none. */
function describeType(type: number | undefined): string {
  return type === undefined ? '(empty frame)' : `0x${type.toString(16)}`;
}

function view(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

export function decodeClientMessage(data: Uint8Array): ClientMessage {
  const type = data[0];
  const payload = data.subarray(1);
  switch (type) {
    case ClientType.input:
      return { type: 'input', data: payload };
    case ClientType.resize: {
      if (payload.length !== 4) throw new ProtocolError(`resize frame must carry 4 bytes, got ${payload.length}`);
      const v = view(payload);
      const cols = v.getUint16(0);
      const rows = v.getUint16(2);
      if (cols < 1 || rows < 1 || cols > 1000 || rows > 500) throw new ProtocolError(`resize to ${cols}x${rows} is out of range`);
      return { type: 'resize', cols, rows };
    }
    case ClientType.ack:
      if (payload.length !== 4) throw new ProtocolError(`ack frame must carry 4 bytes, got ${payload.length}`);
      return { type: 'ack', bytes: view(payload).getUint32(0) };
    case ClientType.ping:
      if (payload.length > 64) throw new ProtocolError('ping payload is longer than 64 bytes');
      return { type: 'ping', data: payload };
    default:
      throw new ProtocolError(`unknown client frame type ${describeType(type)}`);
  }
}

export function decodeServerMessage(data: Uint8Array): ServerMessage {
  const type = data[0];
  const payload = data.subarray(1);
  switch (type) {
    case ServerType.output:
      return { type: 'output', data: payload };
    case ServerType.status:
      return { type: 'status', status: JSON.parse(utf8Decoder.decode(payload)) as TerminalStatus };
    case ServerType.pong:
      return { type: 'pong', data: payload };
    default:
      throw new ProtocolError(`unknown server frame type ${describeType(type)}`);
  }
}

// One browser connection to a shell: checks the instance still exists and has time left, attaches
// to the node's shared session, decodes client frames, and keeps the connection honest with
// WebSocket pings (a peer silent for two intervals is dropped).
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { InstanceSummary } from '@praxis/sandbox';
import { CloseCode, ProtocolError, decodeClientMessage, encodePong } from '@praxis/terminal-protocol';
import type { ResumePoint, TerminalClient, TerminalSession } from './terminal-session';
import { TerminalEndedError, type TerminalSessions } from './terminal-sessions';
import type { TerminalClaims } from '../lib/terminal-token';

export interface AttachSocketInput {
  socket: WebSocket;
  log: FastifyBaseLogger;
  terminals: TerminalSessions;
  claims: TerminalClaims;
  resume?: ResumePoint;
  /** Which shell of the node (1-based). */
  shell?: number;
  scope: string;
  findInstance: (id: string) => Promise<InstanceSummary | undefined>;
  keepaliveMs?: number;
}

export function attachTerminalSocket(input: AttachSocketInput): void {
  const { socket, claims, terminals, log } = input;
  const { instanceId, node } = claims;
  const shell = input.shell ?? 1;
  let session: TerminalSession | undefined;
  let client: TerminalClient | undefined;
  let closed = false;
  // Frames that arrive while the shell is being found are kept and replayed in order.
  const early: Buffer[] = [];

  const close = (code: number, reason: string) => {
    if (closed) return;
    closed = true;
    socket.close(code, reason.slice(0, 120));
  };

  const handle = (raw: Buffer) => {
    if (!session || !client) return;
    try {
      const message = decodeClientMessage(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
      switch (message.type) {
        case 'input':
          session.input(client, message.data);
          break;
        case 'resize':
          session.resize(client, message.cols, message.rows);
          break;
        case 'ack':
          session.ack(client, message.bytes);
          break;
        case 'ping':
          socket.send(encodePong(message.data));
          break;
      }
    } catch (error) {
      if (error instanceof ProtocolError) close(CloseCode.protocolError, error.message);
      else throw error;
    }
  };

  socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    const raw = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (!isBinary) return close(CloseCode.protocolError, 'terminal frames must be binary');
    if (client) handle(raw);
    else if (early.length < 256) early.push(raw);
  });

  let alive = true;
  socket.on('pong', () => {
    alive = true;
  });
  const keepalive = setInterval(() => {
    if (!alive) {
      log.info({ instanceId, node }, 'terminal client stopped answering pings');
      socket.terminate();
      return;
    }
    alive = false;
    socket.ping();
  }, input.keepaliveMs ?? 15_000);
  keepalive.unref();

  socket.on('close', () => {
    closed = true;
    clearInterval(keepalive);
    if (session && client) {
      session.leave(client);
      terminals.release(instanceId, node, shell, session);
    }
  });

  void (async () => {
    const instance = await input.findInstance(instanceId);
    if (!instance || instance.scope !== input.scope) return close(CloseCode.notFound, `instance ${instanceId} does not exist`);
    if (!instance.nodes.some((n) => n.name === node)) return close(CloseCode.notFound, `instance ${instanceId} has no node "${node}"`);
    if (instance.expiresAt.getTime() <= Date.now()) return close(CloseCode.timeUp, `time is up for instance ${instanceId}`);
    let acquired: TerminalSession;
    try {
      acquired = await terminals.acquire(instanceId, node, shell);
    } catch (error) {
      if (error instanceof TerminalEndedError) return close(error.closeCode, error.reason);
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 404 || status === 409) return close(CloseCode.notFound, `node "${node}" of instance ${instanceId} is not running`);
      throw error;
    }
    if (closed) {
      terminals.release(instanceId, node, shell, acquired);
      return;
    }
    terminals.scheduleExpiry(instanceId, node, shell, acquired, instance.expiresAt, CloseCode.timeUp, `time is up for instance ${instanceId}`);
    session = acquired;
    client = session.attach(
      { send: (frame) => socket.send(frame), close: (code, reason) => close(code, reason) },
      claims.mode,
      input.resume,
    );
    log.info({ instanceId, node, shell, mode: claims.mode, sessionId: session.id, sub: claims.sub }, 'terminal attached');
    for (const raw of early.splice(0)) handle(raw);
  })().catch((error: unknown) => {
    log.error({ err: error, instanceId, node }, 'terminal attach failed');
    // No HTTP status: the engine itself did not answer (refused, timed out). It may come back.
    if ((error as { statusCode?: number }).statusCode === undefined && (error as { code?: string }).code !== undefined) {
      close(CloseCode.hostUnavailable, 'the host of this machine is not answering; reconnecting');
    } else close(1011, 'the terminal could not be opened');
  });
}

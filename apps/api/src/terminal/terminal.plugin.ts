// The browser terminal's HTTP edge: the WebSocket route GET /api/terminal/:instanceId/:node, its
// token check before the upgrade (401/403 as problem+json, never a socket), keepalive, and the
// dev-only token route. The shells themselves live in TerminalSessions.
import { STATUS_CODES } from 'node:http';
import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { getInstance, INSTANCE_ID_PATTERN } from '@praxis/sandbox';
import { CloseCode, TERMINAL_SUBPROTOCOL, tokenFromSubprotocols } from '@praxis/terminal-protocol';
import { z } from 'zod';
import type { Config } from '../config';
import { createRecordingStore } from '../services/recordings/recording-store';
import { attachTerminalSocket } from './terminal-socket';
import { TerminalSessions } from './terminal-sessions';
import { MAX_SHELLS } from './shell-holder';
import { TerminalTokenError, signTerminalToken, verifyTerminalToken, type TerminalClaims } from '../lib/terminal-token';
import { TerminalLogins } from './terminal-logins';
import { isSessionLive } from '../services/accounts/sessions';
// For app.db's type; the database plugin is optional here (a bare terminal server has none).
import type {} from '../plugins/db.plugin';
import type {} from '../plugins/cluster.plugin';

declare module 'fastify' {
  interface FastifyInstance {
    terminals: TerminalSessions;
    /** Terminal sockets by sign-in session: sign-out ends them. */
    terminalLogins: TerminalLogins;
  }
  interface FastifyRequest {
    terminalClaims?: TerminalClaims;
  }
}

export interface TerminalPluginOptions {
  config: Config;
  /** Grace period of a shell without clients (tests shorten it). */
  idleGraceMs?: number;
}

const paramsSchema = z.object({
  instanceId: z.string().regex(INSTANCE_ID_PATTERN),
  node: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/),
});
const querySchema = z.object({
  token: z.string().max(2000).optional(),
  /** Resume point of a reconnecting client: the shell it saw and the output offset it has. */
  session: z.string().regex(/^[0-9a-f]{12}$/).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  /** Which shell of the node (a host may have several terminal tabs), 1 by default. */
  shell: z.coerce.number().int().min(1).max(MAX_SHELLS).default(1),
});

/** The same problem document as the errors plugin's, answered before any upgrade. */
function problem(reply: FastifyReply, status: number, code: string, detail: string) {
  const type = `/problems/${code.toLowerCase().replace(/_/g, '-')}`;
  return reply.code(status).type('application/problem+json').send({ type, title: STATUS_CODES[status] ?? 'Error', status, code, detail });
}

export default fp<TerminalPluginOptions>(
  async (app, { config, idleGraceMs }) => {
    const terminals = new TerminalSessions({
      engineOf: (instanceId) => app.sandbox.engineOf(instanceId),
      recordings: createRecordingStore(app.db),
      idleGraceMs,
    });
    app.decorate('terminals', terminals);
    // An attempt ending in any process closes this process's terminals of its instances too: the
    // attempts plugin hears that request (TERMINALS_CLOSE_CHANNEL) and answers it once they are.
    const logins = new TerminalLogins();
    app.decorate('terminalLogins', logins);
    // Added before @fastify/websocket's own preClose (which closes sockets without a code), so
    // clients learn the server is going away (1001) and reconnect; the execs end, the shells stay.
    app.addHook('preClose', async () => {
      await terminals.detachAll(CloseCode.goingAway, 'server restarting');
    });

    if (!app.hasDecorator('websocketServer')) {
      await app.register(websocket, {
        options: {
          maxPayload: 1024 * 1024,
          // Answer with the terminal protocol, never with the `bearer.<token>` entry; other
          // routes get ws's default (the first protocol offered).
          handleProtocols: (protocols) => (protocols.has(TERMINAL_SUBPROTOCOL) ? TERMINAL_SUBPROTOCOL : ([...protocols][0] ?? false)),
        },
      });
    }
    // Runs before the upgrade: a refused request gets an HTTP answer and never becomes a socket.
    const authorize = async (request: FastifyRequest, reply: FastifyReply) => {
      const params = paramsSchema.safeParse(request.params);
      if (!params.success) return problem(reply, 404, 'TERMINAL_NOT_FOUND', 'no terminal at this address (bad instance id or node name)');
      const query = querySchema.safeParse(request.query);
      if (!query.success) return problem(reply, 400, 'TERMINAL_BAD_QUERY', `the query parameters session/offset/shell are malformed (shell is 1-${MAX_SHELLS})`);
      let claims: TerminalClaims;
      try {
        const offered = tokenFromSubprotocols(request.headers['sec-websocket-protocol']);
        claims = verifyTerminalToken(config.terminalSecret, offered ?? query.data.token);
      } catch (error) {
        if (error instanceof TerminalTokenError) return problem(reply, 401, error.code, error.message);
        throw error;
      }
      // A token issued to a sign-in session ends with it. Without a database to ask (the bare
      // terminal server of some tests) such a token cannot be checked, so it is refused.
      if (claims.sid !== undefined) {
        const live = app.hasDecorator('db') ? await isSessionLive(app.db, claims.sid, claims.sub) : false;
        if (!live) return problem(reply, 401, 'TERMINAL_SESSION_ENDED', 'the sign-in session this terminal token was issued to has ended: sign in again');
      }
      if (claims.instanceId !== params.data.instanceId || claims.node !== params.data.node) {
        return problem(
          reply,
          403,
          'TERMINAL_TOKEN_OTHER_TARGET',
          `the token grants ${claims.instanceId}/${claims.node}, not ${params.data.instanceId}/${params.data.node}`,
        );
      }
      request.terminalClaims = claims;
    };

    app.get('/api/terminal/:instanceId/:node', { websocket: true, preValidation: authorize }, (socket, request) => {
      const claims = request.terminalClaims!;
      const query = querySchema.parse(request.query);
      const resume = query.session && query.offset !== undefined ? { sessionId: query.session, offset: query.offset } : undefined;
      if (claims.sid) {
        const remove = logins.add(claims.sid, (code, reason) => socket.close(code, reason));
        socket.once('close', remove);
      }
      attachTerminalSocket({
        socket,
        log: request.log,
        terminals,
        claims,
        resume,
        shell: query.shell,
        scope: app.sandbox.scope,
        findInstance: async (id) => getInstance(await app.sandbox.engineOf(id), id),
      });
    });

    if (config.devRoutes) {
      // Development only (PRAXIS_DEV_ROUTES=1): a token for any instance of this deployment's scope, without a session.
      const bodySchema = z.strictObject({
        instanceId: z.string().regex(INSTANCE_ID_PATTERN),
        node: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/),
        mode: z.enum(['write', 'read']).default('write'),
      });
      app.post('/api/dev/terminal-token', async (request, reply) => {
        const body = bodySchema.safeParse(request.body);
        if (!body.success) return problem(reply, 400, 'DEV_TOKEN_BAD_BODY', body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        const instance = await getInstance(await app.sandbox.engineOf(body.data.instanceId), body.data.instanceId);
        if (!instance || instance.scope !== app.sandbox.scope || !instance.nodes.some((n) => n.name === body.data.node)) {
          return problem(reply, 404, 'DEV_TOKEN_NO_NODE', `no node "${body.data.node}" in instance ${body.data.instanceId} of scope ${app.sandbox.scope}`);
        }
        const exp = Math.floor(Date.now() / 1000) + 300;
        return { token: signTerminalToken(config.terminalSecret, { sub: 'dev', ...body.data, exp }), exp };
      });
    }
  },
  { name: 'terminal', dependencies: ['db', 'sandbox'] },
);

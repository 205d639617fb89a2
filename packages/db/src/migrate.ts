// Applies prisma/migrations/<stamp>_<name>/migration.sql files in name order, each in its own
// transaction, recording what ran in `praxis_migrations`. Prisma's own `migrate deploy` fails on
// PostgreSQL 17 offline (environment.md); this runner is safe to rerun and to run from several
// processes at once (a session-level advisory lock serialises them).
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../../prisma/migrations');
// An arbitrary constant: every Praxis process takes the same lock before migrating.
const LOCK_KEY = 7_318_004_211;

export interface AppliedMigration {
  name: string;
  checksum: string;
}

export class MigrationError extends Error {
  readonly code = 'MIGRATION_FAILED';
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<{ name: string; sql: string; checksum: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory() && /^\d{14}_[a-z0-9_]+$/.test(e.name)).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/** Applies pending migrations; returns the ones applied by this call. */
export async function applyMigrations(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<AppliedMigration[]> {
  const migrations = await readMigrations(dir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const applied: AppliedMigration[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS praxis_migrations (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Map(
      (await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM praxis_migrations')).rows.map((r) => [r.name, r.checksum]),
    );
    for (const m of migrations) {
      const previous = done.get(m.name);
      if (previous !== undefined) {
        // An applied migration must never change: the database would no longer match the files.
        if (previous !== m.checksum) {
          throw new MigrationError(`migration ${m.name} was edited after it was applied (checksum differs); add a new migration instead`);
        }
        continue;
      }
      try {
        await client.query('BEGIN');
        await client.query(m.sql);
        await client.query('INSERT INTO praxis_migrations (name, checksum) VALUES ($1, $2)', [m.name, m.checksum]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new MigrationError(`migration ${m.name} failed and was rolled back: ${(error as Error).message}`);
      }
      applied.push({ name: m.name, checksum: m.checksum });
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
  return applied;
}

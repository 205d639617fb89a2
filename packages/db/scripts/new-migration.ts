// Authors a migration: `npm run migration:new -w @praxis/db -- <name>`. Starts a throwaway
// embedded PostgreSQL, and asks `prisma migrate diff` for the SQL
// that takes the existing migrations to prisma/schema.prisma (the JS engine needs a live server for that).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/embedded-postgres';
import { MIGRATIONS_DIR, readMigrations } from '../src/migrate';
import { ensureDatabase } from '../src/open-database';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run migration:new -w @praxis/db -- <snake_case_name>');
  process.exit(2);
}
const dir = mkdtempSync(path.join(os.tmpdir(), 'praxis-migration-'));
chmodSync(dir, 0o755); // the server runs as the `postgres` user when we are root
const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), persistent: false });
try {
  await ensureDatabase(server.adminUrl, 'draft');
  const url = server.urlFor('draft');
  const existing = await readMigrations().catch(() => []);
  // The JS engine refuses --from-url; it replays --from-migrations on the adapter's database.
  const from = existing.length ? ['--from-migrations', MIGRATIONS_DIR] : ['--from-empty'];
  const sql = execFileSync(
    'npx',
    ['prisma', 'migrate', 'diff', ...from, '--to-schema-datamodel', path.join(MIGRATIONS_DIR, '../schema.prisma'), '--script'],
    { cwd: path.resolve(import.meta.dirname, '..'), env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' },
  );
  if (!/CREATE|ALTER|DROP/i.test(sql)) {
    console.log('schema.prisma matches the migrations: nothing to write');
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const target = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    mkdirSync(target, { recursive: true });
    writeFileSync(path.join(target, 'migration.sql'), sql);
    console.log(`wrote ${path.relative(process.cwd(), target)}/migration.sql`);
  }
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

// Authors a migration: `npm run migration:new -w @praxis/db -- <name>`. Each migration folder keeps
// the datamodel it produces (schema.prisma); the new SQL is `prisma migrate diff` from the last
// snapshot to prisma/schema.prisma. Datamodel to datamodel, because the JS engine cannot read a
// live PostgreSQL 17 schema ("Column type 'name' could not be deserialized"); it still wants a
// reachable server, so a throwaway embedded one is started.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), persistent: false, password: randomBytes(18).toString('base64url') });
try {
  await ensureDatabase(server.adminUrl, 'draft');
  const url = server.urlFor('draft');
  const existing = await readMigrations().catch(() => []);
  const last = existing.at(-1);
  const from = last ? ['--from-schema-datamodel', path.join(MIGRATIONS_DIR, last.name, 'schema.prisma')] : ['--from-empty'];
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
    copyFileSync(path.join(MIGRATIONS_DIR, '../schema.prisma'), path.join(target, 'schema.prisma'));
    console.log(`wrote ${path.relative(process.cwd(), target)}/migration.sql`);
  }
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

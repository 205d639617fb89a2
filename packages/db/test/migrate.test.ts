// The migration runner and the per-suite test database against a real embedded PostgreSQL.
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, createDbClient, createTestDatabase, MIGRATIONS_DIR, readMigrations, type TestDatabase } from '../src/index';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase('migrate');
});
afterAll(async () => {
  await tdb?.drop();
});

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: tdb.url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

describe('applyMigrations', () => {
  it('has applied every migration once and a rerun applies nothing', async () => {
    const files = await readMigrations();
    const rows = await query<{ name: string }>('SELECT name FROM praxis_migrations ORDER BY name');
    expect(rows.map((r) => r.name)).toEqual(files.map((f) => f.name));
    expect(await applyMigrations(tdb.url)).toEqual([]);
  });

  it('is safe when several processes start at once', async () => {
    const other = await createTestDatabase('concurrent');
    try {
      const c = new pg.Client({ connectionString: other.url });
      await c.connect();
      await c.query('DROP TABLE praxis_migrations; DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
      await c.end();
      const results = await Promise.all([applyMigrations(other.url), applyMigrations(other.url), applyMigrations(other.url)]);
      // Exactly one caller applied the migrations; the others waited on the lock and found them done.
      expect(results.map((r) => r.length).sort()).toEqual([0, 0, (await readMigrations()).length]);
    } finally {
      await other.drop();
    }
  });

  it('refuses a migration edited after it was applied, and rolls back a failing one whole', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'praxis-mig-'));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await mkdir(path.join(dir, '29990101000000_broken'));
    await writeFile(path.join(dir, '29990101000000_broken', 'migration.sql'), 'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;');
    await expect(applyMigrations(tdb.url, dir)).rejects.toThrow(/29990101000000_broken failed and was rolled back/);
    expect(await query("SELECT 1 FROM pg_tables WHERE tablename = 'half_done'")).toHaveLength(0);

    const first = (await readMigrations(dir))[0]!;
    await writeFile(path.join(dir, first.name, 'migration.sql'), `${first.sql}\n-- edited`);
    await expect(applyMigrations(tdb.url, dir)).rejects.toThrow(/was edited after it was applied/);
  });

  it('gives a working Prisma client over the driver adapter', async () => {
    const db = createDbClient(tdb.url);
    try {
      const user = await db.user.create({ data: { email: 'a@example.test', name: 'A', passwordHash: 'x' } });
      expect(user.role).toBe('learner');
      expect(await db.user.count()).toBe(1);
    } finally {
      await db.$disconnect();
    }
  });
});

describe('startEmbeddedPostgres', () => {
  it('keeps data across restarts and reuses a server left running on its folder', async () => {
    const { startEmbeddedPostgres } = await import('../src/embedded-postgres');
    const { chmod, rm } = await import('node:fs/promises');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'praxis-emb-'));
    await chmod(dir, 0o755);
    const dataDir = path.join(dir, 'pg');
    try {
      const first = await startEmbeddedPostgres({ dataDir, password: 'a-test-password' });
      const c = new pg.Client({ connectionString: first.adminUrl });
      await c.connect();
      await c.query('CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)');
      await c.end();
      // A second start while the first still runs (a crashed parent's orphan) attaches to it.
      const second = await startEmbeddedPostgres({ dataDir, password: 'a-test-password' });
      expect(second.port).toBe(first.port);
      await second.stop();
      await first.stop();
      const third = await startEmbeddedPostgres({ dataDir, password: 'a-test-password' });
      const c3 = new pg.Client({ connectionString: third.adminUrl });
      await c3.connect();
      expect((await c3.query('SELECT v FROM kept')).rows).toEqual([{ v: 42 }]);
      await c3.end();
      await third.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('migration attempt_instances', () => {
  it('moves the instance of an existing attempt into attempt_instances', async () => {
    const db3 = await createTestDatabase('mig3');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'praxis-mig3-'));
    try {
      const all = await readMigrations();
      const target = all.findIndex((m) => m.name.endsWith('_attempt_instances'));
      // Rebuild the database as it was just before that migration.
      const c = new pg.Client({ connectionString: db3.url });
      await c.connect();
      await c.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
      for (const m of all.slice(0, target)) await cp(path.join(MIGRATIONS_DIR, m.name), path.join(dir, m.name), { recursive: true });
      await applyMigrations(db3.url, dir);
      const user = (await c.query(`INSERT INTO users (id, email, name, password_hash) VALUES (gen_random_uuid(), 'x@example.test', 'x', 'h') RETURNING id`)).rows[0].id;
      const bank = (await c.query(`INSERT INTO banks (id, slug, title) VALUES (gen_random_uuid(), 'b', 'b') RETURNING id`)).rows[0].id;
      const version = (await c.query(`INSERT INTO bank_versions (id, bank_id, version, content) VALUES (gen_random_uuid(), $1, 1, '{}') RETURNING id`, [bank])).rows[0].id;
      const test = (await c.query(`INSERT INTO tests (id, title, bank_id, lab, time_limit_seconds, selection) VALUES (gen_random_uuid(), 't', $1, 'lab-one', 60, '{}') RETURNING id`, [bank])).rows[0].id;
      const attempt = (await c.query(`INSERT INTO attempts (id, test_id, user_id, bank_version_id, status, instance_id, provision_ms) VALUES (gen_random_uuid(), $1, $2, $3, 'active', 'px0123456789', 900) RETURNING id`, [test, user, version])).rows[0].id;
      for (const m of all.slice(target)) await cp(path.join(MIGRATIONS_DIR, m.name), path.join(dir, m.name), { recursive: true });
      await applyMigrations(db3.url, dir);
      expect((await c.query('SELECT attempt_id, lab, instance_id, provision_ms FROM attempt_instances')).rows).toEqual([
        { attempt_id: attempt, lab: 'lab-one', instance_id: 'px0123456789', provision_ms: 900 },
      ]);
      await c.end();
    } finally {
      await rm(dir, { recursive: true, force: true });
      await db3.drop();
    }
  });
});

// The embedded server's password and folder, against a real embedded PostgreSQL: a generated
// password kept with mode 0600 in the data folder (the old fixed one refused, also for a folder
// made before), and a data folder the `postgres` user cannot reach (as root, under a private
// parent) refused up front with what to do, instead of initdb's bare "Permission denied".
import { chmod, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort, startEmbeddedPostgres } from '../src/embedded-postgres';
import { openDatabase } from '../src/open-database';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'praxis-secrets-'));
  await chmod(dir, 0o755); // the server runs as the `postgres` user when we are root
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function canLogIn(port: number, password: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: `postgresql://praxis:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres` });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

describe('embedded PostgreSQL secrets', () => {
  it('generates the password, keeps it 0600 in the data folder, and refuses the old fixed one', async () => {
    const dataDir = path.join(dir, 'fresh');
    const port = await findFreePort();
    const first = await openDatabase({ dataDir, embeddedPort: port });
    const file = path.join(dataDir, 'postgres.password');
    const password = (await readFile(file, 'utf8')).trim();
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await canLogIn(port, password)).toBe(true);
    expect(await canLogIn(port, 'praxis')).toBe(false);
    await first.close();
    // A restart reads it back.
    const again = await openDatabase({ dataDir, embeddedPort: port });
    expect(await again.db.user.count()).toBe(0);
    await again.close();
  });

  it('gives a folder made with the old fixed password a generated one at its next start', async () => {
    const dataDir = path.join(dir, 'legacy');
    const old = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), password: 'praxis', port: await findFreePort() });
    await old.stop();
    const port = await findFreePort();
    const database = await openDatabase({ dataDir, embeddedPort: port });
    try {
      const password = (await readFile(path.join(dataDir, 'postgres.password'), 'utf8')).trim();
      expect(password).not.toBe('praxis');
      expect(await canLogIn(port, password)).toBe(true);
      expect(await canLogIn(port, 'praxis')).toBe(false);
    } finally {
      await database.close();
    }
  });

  it.runIf(process.getuid?.() === 0)('says what to do when the postgres user cannot reach the data folder', async () => {
    const privateParent = path.join(dir, 'private');
    await mkdir(privateParent, { mode: 0o700 });
    await chmod(privateParent, 0o700);
    const error = await openDatabase({ dataDir: path.join(privateParent, 'data'), embeddedPort: await findFreePort() }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/runs as the system user "postgres".*cannot enter .*private \(mode 0700\)/);
    expect(error?.message).toMatch(/PRAXIS_DATA_DIR to a folder outside .*chmod o\+x .*private.*DATABASE_URL/);
  });
});

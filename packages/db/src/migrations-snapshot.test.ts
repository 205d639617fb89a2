// Guards the migration workflow: the newest migration's datamodel snapshot must be the current
// schema, or someone edited prisma/schema.prisma without `npm run migration:new -w @praxis/db`.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, readMigrations } from './migrate';

describe('migrations', () => {
  it('end at the current prisma/schema.prisma', async () => {
    const last = (await readMigrations()).at(-1)!;
    const snapshot = await readFile(path.join(MIGRATIONS_DIR, last.name, 'schema.prisma'), 'utf8');
    const schema = await readFile(path.join(MIGRATIONS_DIR, '../schema.prisma'), 'utf8');
    expect(snapshot, `run: npm run migration:new -w @praxis/db -- <name>`).toBe(schema);
  });
});

// Issue 13's layering: a route parses, checks access and calls services; it never queries the
// database itself (app.db is handed to services), and no service reaches into the terminal's
// module (what both need, like terminal tokens, lives in lib/).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '..');
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => path.join(e.parentPath, e.name));

describe('API layers', () => {
  it('routes call services instead of querying the database', () => {
    const offenders = filesUnder(path.join(src, 'routes')).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${path.relative(src, file)}:${i + 1}` }))
        .filter(({ line }) => /\bapp\.db\.[a-zA-Z$]/.test(line))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });

  it('services never import the terminal module', () => {
    const offenders = filesUnder(path.join(src, 'services')).filter((file) => /from '(\.\.\/)+terminal\//.test(readFileSync(file, 'utf8')));
    expect(offenders.map((f) => path.relative(src, f))).toEqual([]);
  });
});

// Issue 13's "one owner of the engines": every Docker call goes through packages/sandbox, so only
// it may import dockerode (other packages take the engine type from @praxis/sandbox), and the lab
// format reads topologies from @praxis/topology without depending on the Docker owner.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SKIP = new Set(['node_modules', 'dist', '.turbo', 'test-results', 'playwright-report']);

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name) || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sources(full));
    else if (/\.(ts|mts|svelte)$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const workspaces = ['apps', 'packages']
  .flatMap((top) => readdirSync(path.join(root, top)).map((w) => path.join(top, w)))
  .concat(['bench', 'e2e'])
  .filter((ws) => statSync(path.join(root, ws)).isDirectory());
const importsOf = (file: string, module: string) => new RegExp(`(from|import)\\s*\\(?\\s*['"]${module}['"]`).test(readFileSync(file, 'utf8'));

describe('one owner of the Docker engines', () => {
  it('only packages/sandbox imports dockerode or lists it as a dependency', () => {
    const offenders: string[] = [];
    for (const ws of workspaces) {
      if (ws === path.join('packages', 'sandbox')) continue;
      const dir = path.join(root, ws);
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
      if (pkg.dependencies?.dockerode || pkg.devDependencies?.dockerode) offenders.push(`${ws}/package.json`);
      for (const file of sources(dir)) if (importsOf(file, 'dockerode')) offenders.push(path.relative(root, file));
    }
    expect(offenders, 'import the engine type and calls from @praxis/sandbox instead').toEqual([]);
  });

  it('the lab format depends on the topology package, not on the Docker owner', () => {
    const dir = path.join(root, 'packages', 'labs');
    const offenders = sources(dir).filter((f) => importsOf(f, '@praxis/sandbox')).map((f) => path.relative(root, f));
    expect(offenders).toEqual([]);
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    expect(Object.keys(pkg.dependencies ?? {})).not.toContain('@praxis/sandbox');
  });
});

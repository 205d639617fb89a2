// The two catalogues: the same keys in English and Korean, every message a valid ICU message,
// and every key the code asks for present (a missing one would show its key to a person).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import en from './en.json';
import ko from './ko.json';

type Tree = { [k: string]: string | Tree };
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}
const english = flatten(en as Tree);
const korean = flatten(ko as Tree);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.(svelte|ts)$/.test(name) && !name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('message catalogues', () => {
  it('have the same keys in English and Korean', () => {
    expect([...korean.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('hold valid ICU messages with the same placeholders in both languages', () => {
    for (const [key, text] of english) {
      const args = (t: string) => [...t.matchAll(/\{(\w+)[,}]/g)].map((m) => m[1]).sort();
      expect(() => new IntlMessageFormat(text, 'en'), key).not.toThrow();
      expect(() => new IntlMessageFormat(korean.get(key)!, 'ko'), key).not.toThrow();
      expect(args(korean.get(key)!), key).toEqual(args(text));
    }
  });

  it('contain every key the code asks for', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const used = new Set<string>();
    for (const file of sources(root)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:\$_|\bt)\(\s*'([a-zA-Z]+\.[a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(300);
    expect([...used].filter((k) => !english.has(k))).toEqual([]);
  });
});

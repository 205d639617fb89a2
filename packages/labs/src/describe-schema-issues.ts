// zod's issues on lab.yaml, rewritten for authors: `title: is required`, `timeLimitMinutes: must
// be a number (got "ten")`, `questions[3].hnit: unknown field (did you mean "hint"?)`. Unions are
// resolved to the branch the author most likely meant, so one typo gives one message.
import type { z } from 'zod';

export interface SchemaProblem {
  path: (string | number)[];
  message: string;
}

type Issue = z.core.$ZodIssue;
type Path = (string | number)[];
// zod's definitions are not part of its typed surface; only the fields read below are used.
type AnyDef = { type: string; [k: string]: unknown };
type AnySchema = { _zod: { def: AnyDef } };

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value lines)',
  array: 'a list',
  record: 'a mapping (key: value lines)',
};

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** `"ten"`, `12`, `a list`, `a mapping`: what the author wrote, briefly. */
export function showValue(v: unknown): string {
  if (v === null) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

/** Edit distance where swapping two neighbouring letters ("hnit") counts as one edit. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest known name, when it is close enough to be a typo. */
export function suggestName(unknown: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(unknown.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  for (let i = 0; i < 20; i++) {
    const def = s._zod.def;
    if (['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional'].includes(def.type)) s = def.innerType as AnySchema;
    else if (def.type === 'pipe') s = def.in as AnySchema;
    else if (def.type === 'lazy') s = (def.getter as () => AnySchema)();
    else break;
  }
  return s;
}

function objectKeys(schema: AnySchema): string[] {
  const def = unwrap(schema)._zod.def;
  return def.type === 'object' ? Object.keys(def.shape as object) : [];
}

/** The union branch that fits `value` best: the discriminator's match, else most keys in common. */
function pickBranch(def: AnyDef, value: unknown): AnySchema | undefined {
  const options = def.options as AnySchema[];
  const disc = def.discriminator as string | undefined;
  if (disc && value && typeof value === 'object') {
    const want = (value as Record<string, unknown>)[disc];
    const hit = options.find((o) => {
      const field = (unwrap(o)._zod.def.shape as Record<string, AnySchema> | undefined)?.[disc];
      return field && ((unwrap(field)._zod.def.values as unknown[] | undefined) ?? []).includes(want);
    });
    if (hit) return hit;
  }
  const keys = value && typeof value === 'object' ? Object.keys(value) : [];
  let best: AnySchema | undefined;
  let bestScore = -1;
  for (const o of options) {
    const known = objectKeys(o);
    const score = keys.filter((k) => known.includes(k)).length;
    if (known.length && score > bestScore) [best, bestScore] = [o, score];
  }
  return best;
}

/** The field names the schema allows at `path` (for "did you mean"), following the data through unions. */
export function knownKeysAt(schema: z.core.$ZodType, data: unknown, path: readonly PropertyKey[]): string[] {
  let s: AnySchema | undefined = unwrap(schema as unknown as AnySchema);
  let v = data;
  for (const p of [...path, undefined]) {
    while (s && s._zod.def.type === 'union') s = pickBranch(s._zod.def, v);
    if (!s) return [];
    if (p === undefined) break;
    const def: AnyDef = s._zod.def;
    if (def.type === 'object') s = (def.shape as Record<string, AnySchema>)[String(p)];
    else if (def.type === 'array') s = def.element as AnySchema;
    else if (def.type === 'record') s = def.valueType as AnySchema;
    else return [];
    if (s) s = unwrap(s);
    v = valueAt(v, [p]);
  }
  return s ? objectKeys(s) : [];
}

function sizeMessage(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>, value: unknown): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? (issue as { minimum: unknown }).minimum : (issue as { maximum: unknown }).maximum);
  switch (issue.origin) {
    case 'string': {
      const len = typeof value === 'string' ? value.length : 0;
      if (small && limit === 1) return 'must not be empty';
      return small ? `must be at least ${limit} characters long (got ${len})` : `must be at most ${limit} characters long (got ${len})`;
    }
    case 'array': {
      const n = Array.isArray(value) ? value.length : 0;
      return small ? `needs at least ${limit} item${limit === 1 ? '' : 's'} (got ${n})` : `may have at most ${limit} items (got ${n})`;
    }
    case 'number':
    case 'int':
      return `must be ${small ? 'at least' : 'at most'} ${limit}${issue.inclusive === false ? ' (exclusive)' : ''} (got ${showValue(value)})`;
    default:
      return issue.message;
  }
}

/** Human messages for zod's issues on `data` (the parsed lab.yaml), each with its field path. */
export function describeSchemaIssues(issues: readonly Issue[], data: unknown, schema: z.core.$ZodType, prefix: Path = []): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path as Path)];
    const value = valueAt(data, path);
    switch (issue.code) {
      case 'invalid_type':
        out.push({
          path,
          message: value === undefined ? 'is required' : `must be ${TYPE_NAMES[issue.expected] ?? issue.expected} (got ${showValue(value)})`,
        });
        break;
      case 'invalid_value':
        out.push({
          path,
          message: issue.values.length === 1 ? `must be ${quoteList(issue.values)} (got ${showValue(value)})` : `must be one of ${quoteList(issue.values)} (got ${showValue(value)})`,
        });
        break;
      case 'unrecognized_keys': {
        const known = knownKeysAt(schema, data, path);
        for (const key of issue.keys) {
          const guess = suggestName(key, known);
          out.push({ path: [...path, key], message: `unknown field${guess ? ` (did you mean "${guess}"?)` : known.length ? ` (fields here: ${known.join(', ')})` : ''}` });
        }
        break;
      }
      case 'invalid_union': {
        const disc = (issue as { discriminator?: string; options?: unknown[] }).discriminator;
        if (disc !== undefined) {
          // A discriminated union whose discriminator (e.g. `kind`) matches no branch.
          const at = path[path.length - 1] === disc ? path : [...path, disc];
          const given = valueAt(data, at);
          const allowed = quoteList((issue as { options?: unknown[] }).options ?? []);
          out.push({ path: at, message: given === undefined ? `is required (one of ${allowed})` : `must be one of ${allowed} (got ${showValue(given)})` });
          break;
        }
        const branches = issue.errors;
        if (branches.length === 0) {
          out.push({ path, message: issue.message });
          break;
        }
        const rootTypeOnly = (b: readonly Issue[]) => b.length === 1 && b[0]!.code === 'invalid_type' && b[0]!.path.length === 0;
        if (branches.every(rootTypeOnly)) {
          // e.g. string | number given a list: name every accepted type.
          const names = branches.map((b) => TYPE_NAMES[(b[0] as { expected: string }).expected] ?? (b[0] as { expected: string }).expected);
          out.push({ path, message: value === undefined ? 'is required' : `must be ${[...new Set(names)].join(' or ')} (got ${showValue(value)})` });
          break;
        }
        // The branch with the fewest problems is the one the author meant.
        const best = [...branches].filter((b) => !rootTypeOnly(b)).sort((a, b) => a.length - b.length)[0]!;
        out.push(...describeSchemaIssues(best, data, schema, path));
        break;
      }
      case 'too_small':
      case 'too_big':
        out.push({ path, message: sizeMessage(issue, value) });
        break;
      case 'invalid_format':
        out.push({ path, message: `${issue.message}${typeof value === 'string' ? ` (got ${showValue(value)})` : ''}` });
        break;
      default:
        out.push({ path, message: issue.message });
    }
  }
  return out;
}

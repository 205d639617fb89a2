// A property-based walk of the whole API: every operation of the OpenAPI document is called many
// times with values generated from its own schemas (path, query and body), each string, number and
// date drawn from a hostile set (NUL, unpaired surrogates, control and bidi characters, very long
// text, extreme and impossible dates, huge and fractional numbers), on real ids of a bank, a test,
// a cohort and a running attempt so the requests reach deep. Every answer must be a 2xx or a 4xx
// problem document, never a 5xx, and no answer may show a server path.
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newInstanceId } from '@praxis/sandbox';
import { Client, signedInClient, type TestContext } from './api-helpers';
import { LAB_DIR, useAttemptApp } from './attempt-helpers';

// One instance at most, held by the fake running attempt below: nothing the walk starts
// (an attempt, an authoring test) can create a machine.
const ctx: TestContext = useAttemptApp('api-hostile', { PRAXIS_MAX_INSTANCES: '1' });
const RUNS = Number(process.env.PRAXIS_HOSTILE_RUNS ?? 40);
const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

type Schema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  pattern?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
};

const NASTY = ['\u0000', '\ud800', '\udfff', '\udc00x', '\u202e', '\ufeff', '\u0007', '\r\n', '💥', 'é', '../', '..\\', '%00', "'", '"', '<script>', '${x}', ' ', '\t'];

/** Strings a careless server chokes on, mixed with ordinary ones. */
const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 5 })), { minLength: 1, maxLength: 8 }).map((parts) => parts.join('')),
  fc.constantFrom('', ' ', 'x'.repeat(300), 'é'.repeat(5001), 'a'.repeat(100_000), '\u0000'.repeat(3), '\ud800\ud800'),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** Dates far outside any sensible window, malformed ones, and ordinary ones. */
const hostileDate: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '+275760-09-13T00:00:00.000Z',
    '-271821-04-20T00:00:00.000Z',
    '0000-01-01T00:00:00Z',
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '+010000-01-01T00:00:00Z',
    '2030-02-30T00:00:00Z',
    '1969-12-31T23:59:59Z',
    'not a date',
    '',
    8.64e15,
    -8.64e15,
    1e308,
  ),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ min: new Date('2020-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
);

const hostileNumber = (s: Schema): fc.Arbitrary<unknown> =>
  fc.oneof(
    s.minimum !== undefined && s.maximum !== undefined ? fc.integer({ min: s.minimum, max: Math.min(s.maximum, 2 ** 31) }) : fc.integer(),
    fc.constantFrom(0, -1, 1.5, -0, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, Number.MAX_SAFE_INTEGER),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  );

/** Real ids by field name (bankId, testId...), filled once the walk's data exists. */
const realIds: Record<string, fc.Arbitrary<unknown>> = {};

/** A value the schema accepts (as far as the document says), so the other fields get through. */
function validValue(s: Schema | undefined, depth = 0, name = ''): fc.Arbitrary<unknown> {
  if (!s || depth > 6) return fc.constant(null);
  if (realIds[name]) return realIds[name];
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return fc.oneof(...variants.map((v) => validValue(v, depth + 1)));
  if (s.enum) return fc.constantFrom(...s.enum);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string': {
      if (s.format === 'date-time' || s.format === 'date') return fc.date({ min: new Date('2020-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      if (s.format === 'email') return fc.stringMatching(/^[a-z]{3,12}$/).map((x) => `${x}@example.test`);
      if (s.format === 'uuid') return fc.uuid();
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern));
      const min = s.minLength ?? 0;
      const max = Math.max(min, Math.min(s.maxLength ?? 40, 40));
      return fc.stringMatching(/^[A-Za-z0-9 ]*$/).filter((x) => x.trim().length >= min).map((x) => x.slice(0, max)).filter((x) => x.trim().length >= min);
    }
    case 'integer':
    case 'number':
      return fc.integer({ min: s.minimum ?? 0, max: Math.min(s.maximum ?? 1000, 1000) });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validValue(s.items, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3)) });
    case 'object': {
      const props = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, validValue(v, depth + 1, k)]));
      return fc.record(props, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
    }
    default:
      return fc.date({ min: new Date('2020-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  }
}

/** A hostile leaf of the schema's type (or anything at all when the document gives no type). */
function hostileLeaf(s: Schema): fc.Arbitrary<unknown> {
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (s.format === 'date-time' || s.format === 'date') return fc.oneof(hostileDate, hostileString);
  if (s.format === 'email') return fc.oneof(hostileString, hostileString.map((x) => `${x}@example.test`));
  if (type === 'integer' || type === 'number') return hostileNumber(s);
  if (type === 'string' || type === 'boolean' || s.enum) return hostileString;
  return fc.oneof(hostileDate, hostileString, hostileNumber({}), fc.boolean(), fc.constant(null));
}

/** A valid value with exactly one hostile leaf, so the request gets past every other field. */
function oneBad(s: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 6) return fc.constant(null);
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return fc.oneof(...variants.map((v) => oneBad(v, depth + 1)));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'object' && s.properties && Object.keys(s.properties).length) {
    const props = s.properties;
    return fc.constantFrom(...Object.keys(props)).chain((bad) =>
      fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, k === bad ? oneBad(v, depth + 1) : validValue(v, depth + 1, k)])), {
        requiredKeys: [...new Set([...(s.required ?? []), bad])].filter((k) => k in props),
      }),
    );
  }
  if (type === 'array') {
    return fc.tuple(fc.array(validValue(s.items, depth + 1), { maxLength: 3 }), oneBad(s.items, depth + 1)).map(([xs, x]) => [...xs, x]);
  }
  return hostileLeaf(s);
}

/** Mostly one bad leaf in a valid value; sometimes bad leaves anywhere. */
function valueOf(s: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: oneBad(s, depth) }, { weight: 1, arbitrary: anyBad(s, depth) });
}

/** Each leaf valid or hostile at random. */
function anyBad(s: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 6) return fc.constant(null);
  const variants = s.anyOf ?? s.oneOf;
  const withNull = (a: fc.Arbitrary<unknown>) => (s.nullable ? fc.oneof(a, fc.constant(null)) : a);
  if (variants) return withNull(fc.oneof(...variants.map((v) => anyBad(v, depth + 1))));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'array') return withNull(fc.array(anyBad(s.items, depth + 1), { maxLength: Math.min(s.maxItems ?? 5, 5) }));
  if (type === 'object') {
    const props = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, anyBad(v, depth + 1)]));
    return withNull(fc.record(props, { requiredKeys: (s.required ?? []).filter((k) => k in props) }));
  }
  return withNull(fc.oneof({ weight: 2, arbitrary: validValue(s, depth) }, { weight: 1, arbitrary: hostileLeaf(s) }));
}

/** Percent-encodes any string, even one with an unpaired surrogate (encodeURIComponent throws on those). */
function encodeSegment(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0').toUpperCase()}`)).join('');
}

interface Operation {
  method: string;
  path: string;
  params: { name: string; in: 'path' | 'query'; schema: Schema; required?: boolean }[];
  body?: Schema;
}

function operationsOf(spec: { paths: Record<string, Record<string, { parameters?: Operation['params']; requestBody?: { content: Record<string, { schema: Schema }> } }>> }): Operation[] {
  return Object.entries(spec.paths).flatMap(([p, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path: p, params: op.parameters ?? [], body: op.requestBody?.content['application/json']?.schema })),
  );
}

// Walked last: they end the running attempt or the session the rest of the walk uses.
const LAST = ['/api/attempts/{attemptId}/submit', '/api/attempts/{attemptId}/cancel', '/api/auth/sign-out'];

describe('hostile input on every operation', () => {
  it('answers 2xx or a 4xx problem document, never a 5xx, and never shows a server path', { timeout: 300_000 }, async () => {
    const { app } = ctx;
    const admin = await signedInClient(app, 'admin');
    const instructor = await signedInClient(app, 'instructor');
    const learner = await signedInClient(app, 'learner');
    const anonymous = new Client(app);

    // Real things for the ids: a bank, a test assigned to a cohort the learner joined, and a
    // running attempt of the learner (written directly: its machine does not exist).
    const imported = await instructor.post('/api/banks/import', { slug: 'hostile', path: path.basename(LAB_DIR) });
    expect(imported.statusCode, imported.body).toBe(201);
    const bankId = imported.json().bankId as string;
    const created = await instructor.post('/api/tests', {
      title: 'Hostile',
      bankId,
      lab: '01-switching-routing',
      timeLimitSeconds: 600,
      attemptsAllowed: 3,
      allowCheck: true,
      selection: { mode: 'fixed', questions: ['list-interfaces', 'router-mac', 'route-on-a'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const testId = created.json().id as string;
    const cohort = (await instructor.post('/api/cohorts', { name: 'Hostile class' })).json();
    await instructor.put(`/api/cohorts/${cohort.id}/tests/${testId}`, {});
    await learner.post('/api/cohorts/join', { code: cohort.inviteCode });
    const version = await app.db.bankVersion.findFirstOrThrow({ where: { bankId } });
    const questions = await app.db.question.findMany({ where: { bankVersionId: version.id, key: { in: ['list-interfaces', 'router-mac', 'route-on-a'] } } });
    const instanceId = newInstanceId();
    const now = Date.now();
    const attempt = await app.db.attempt.create({
      data: {
        testId,
        userId: learner.userId,
        bankVersionId: version.id,
        status: 'active',
        startedAt: new Date(now),
        deadlineAt: new Date(now + 86_400_000),
        maxScore: questions.reduce((s, q) => s + q.points, 0),
        questions: { create: questions.map((q, i) => ({ position: i + 1, questionId: q.id, maxPoints: q.points })) },
        instances: { create: [{ lab: '01-switching-routing', instanceId }] },
      },
    });
    Object.assign(realIds, {
      attemptId: fc.constant(attempt.id),
      testId: fc.constant(testId),
      bankId: fc.constant(bankId),
      cohortId: fc.constant(cohort.id),
      userId: fc.constant(learner.userId),
      version: fc.constantFrom(1, 2),
      position: fc.constantFrom(1, 2, 3),
      runId: fc.constant(randomUUID()),
      instanceId: fc.constant(instanceId),
      file: fc.constant('a-2026-01-01T00-00-00-000Z.cast'),
      lab: fc.constant('01-switching-routing'),
      node: fc.constantFrom('a', 'b', 'c'),
      // A window in order, so the other fields of a test get past the window check.
      availableFrom: fc.constant('2020-01-01T00:00:00.000Z'),
      availableUntil: fc.constant('2100-01-01T00:00:00.000Z'),
      selection: fc.constantFrom({ mode: 'fixed', questions: ['list-interfaces'] }, { mode: 'draw', pools: [{ count: 1 }] }),
    });

    const spec = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    const operations = operationsOf(spec)
      .filter((o) => !o.path.startsWith('/api/docs'))
      .sort((a, b) => LAST.indexOf(a.path) - LAST.indexOf(b.path));
    const access = new Map(app.routeAccess.map((r) => [`${r.method} ${r.url.replace(/:([A-Za-z]+)/g, '{$1}')}`, r.access]));
    const serverPaths = [path.join(os.tmpdir(), 'praxis-'), REPO_ROOT, path.resolve(ctx.config.dataDir)];

    const failures: string[] = [];
    let sent = 0;
    const seed = Number(process.env.PRAXIS_HOSTILE_SEED ?? Date.now() % 2 ** 31);
    for (const op of operations) {
      const who = access.get(`${op.method} ${op.path}`);
      const client = who === 'public' ? anonymous : who === 'user' ? learner : admin;
      const request = fc.record({
        path: fc.record(Object.fromEntries(op.params.filter((p) => p.in === 'path').map((p) => [p.name, fc.oneof({ weight: 3, arbitrary: realIds[p.name] ?? valueOf(p.schema) }, { weight: 1, arbitrary: valueOf(p.schema) })]))),
        query: fc.record(Object.fromEntries(op.params.filter((p) => p.in === 'query').map((p) => [p.name, valueOf(p.schema)])), { requiredKeys: [] }),
        body: op.body ? valueOf(op.body) : fc.constant(undefined),
      });
      for (const sample of fc.sample(request, { numRuns: RUNS, seed: seed + sent })) {
        const url =
          op.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeSegment(String(sample.path[name]))) +
          (Object.keys(sample.query).length ? `?${Object.entries(sample.query).map(([k, v]) => `${k}=${encodeSegment(String(v))}`).join('&')}` : '');
        const payload = sample.body === undefined ? undefined : JSON.stringify(sample.body);
        const t0 = performance.now();
        const res = await client.request(op.method as 'POST', url, payload, payload === undefined ? {} : { 'content-type': 'application/json' });
        const ms = performance.now() - t0;
        sent += 1;
        if (ms > 5000) console.log(`slow: ${op.method} ${url.slice(0, 120)} took ${Math.round(ms)} ms -> ${res.statusCode}`);
        const problem = String(res.headers['content-type'] ?? '').startsWith('application/problem+json');
        const leak = serverPaths.find((p) => res.body.includes(p));
        if (res.statusCode >= 500 || (res.statusCode >= 400 && !problem) || leak) {
          failures.push(`${op.method} ${url.slice(0, 160)} ${payload?.slice(0, 160) ?? ''} -> ${res.statusCode}${leak ? ` (shows ${leak})` : ''} ${res.body.slice(0, 200)}`);
        }
      }
    }
    const fiveHundreds = failures.filter((f) => / -> 5\d\d/.test(f)).length;
    console.log(`hostile walk: ${operations.length} operations, ${sent} requests, ${fiveHundreds} answered 5xx, ${failures.length} failures (seed ${seed})`);
    expect(failures, `seed ${seed}`).toEqual([]);
    expect(operations.length).toBeGreaterThan(40);
  });
});

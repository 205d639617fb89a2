// Banks, tests and cohorts against a real PostgreSQL: importing the course's lab folder, a broken
// bank refused whole, immutable versions, test creation checked against the bank, cohorts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { zipSync } from 'fflate';
import { findLabDirs } from '@praxis/labs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInClient, startTestApp, useTestApp, type Client } from './api-helpers';

const COURSE_LAB = path.resolve(import.meta.dirname, '../../../labs/01-switching-routing');
// The import folder of this file's server: a copy of the course's lab and the banks made here.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'praxis-bank-'));
const LAB_DIR = path.join(tmp, '01-switching-routing');
const ctx = useTestApp('api-banks', { PRAXIS_IMPORT_ROOT: tmp });
// One instructor owns this file's banks, tests and cohorts (instructors see only their own).
let owner: Promise<Client> | undefined;
const theInstructor = () => (owner ??= signedInClient(ctx.app, 'instructor'));
beforeAll(async () => {
  await cp(COURSE_LAB, LAB_DIR, { recursive: true });
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('banks, tests and cohorts', () => {
  it('imports a bank, refuses a broken one whole, and versions each import', async () => {
    const instructor = await theInstructor();
    // A folder with one good lab and one broken lab: nothing of it may land.
    await cp(COURSE_LAB, path.join(tmp, 'broken', 'good'), { recursive: true });
    await cp(COURSE_LAB, path.join(tmp, 'broken', 'bad'), { recursive: true });
    const yamlPath = path.join(tmp, 'broken', 'bad', 'lab.yaml');
    await writeFile(yamlPath, (await readFile(yamlPath, 'utf8')).replace('difficulty: easy', 'difficulty: impossible'));
    const refused = await instructor.post('/api/banks/import', { slug: 'course', path: 'broken' });
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    const body = refused.json();
    expect(body.code).toBe('BANK_INVALID');
    expect(body.errors[0]).toMatchObject({ lab: 'bad', file: 'lab.yaml', path: 'difficulty', line: expect.any(Number) });
    expect(await ctx.app.db.bank.count()).toBe(0);
    expect(await ctx.app.db.question.count()).toBe(0);

    const ok = await instructor.post('/api/banks/import', { slug: 'course', title: 'Networking', path: LAB_DIR });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ version: 1, labs: ['01-switching-routing'] });
    expect(ok.json().questions).toBeGreaterThan(3);
    const again = await instructor.post('/api/banks/import', { slug: 'course', path: LAB_DIR, publish: false });
    expect(again.json().version).toBe(2);
    const banks = (await instructor.get('/api/banks')).json().banks;
    expect(banks).toHaveLength(1);
    expect(banks[0].versions.map((v: { publishedAt: string | null }) => v.publishedAt !== null)).toEqual([true, false]);
    const v2 = await instructor.get(`/api/banks/${banks[0].id}/versions/2`);
    expect(v2.json().questions.length).toBe(ok.json().questions);
    // In the order lab.yaml lists them, as the test form promises (not by key).
    expect(v2.json().questions.slice(0, 4).map((q: { key: string }) => q.key)).toEqual(['list-interfaces', 'address-of-a', 'router-mac', 'second-network-interface']);
    expect((await instructor.post(`/api/banks/${banks[0].id}/versions/2/publish`)).json().publishedAt).not.toBeNull();
  });

  it('reads only folders under the import folder, and never shows a server path', async () => {
    const instructor = await theInstructor();
    await mkdir(path.join(tmp, 'empty'), { recursive: true });
    await symlink('/etc', path.join(tmp, 'etc-link'));
    const tries = {
      outside: await instructor.post('/api/banks/import', { slug: 'x', path: '/etc' }),
      climbing: await instructor.post('/api/banks/import', { slug: 'x', path: '../../..' }),
      linked: await instructor.post('/api/banks/import', { slug: 'x', path: 'etc-link' }),
      missing: await instructor.post('/api/banks/import', { slug: 'x', path: 'no-such-folder' }),
      file: await instructor.post('/api/banks/import', { slug: 'x', path: 'broken/bad/lab.yaml' }),
      empty: await instructor.post('/api/banks/import', { slug: 'x', path: 'empty' }),
    };
    expect(Object.fromEntries(Object.entries(tries).map(([k, r]) => [k, `${r.statusCode} ${r.json().code}`]))).toEqual({
      outside: '403 IMPORT_PATH_OUTSIDE',
      climbing: '403 IMPORT_PATH_OUTSIDE',
      linked: '403 IMPORT_PATH_OUTSIDE',
      missing: '404 IMPORT_PATH_NOT_FOUND',
      file: '400 IMPORT_PATH_NOT_FOLDER',
      empty: '422 BANK_INVALID',
    });
    expect(tries.empty.json().errors[0].message).toBe('no lab.yaml in empty or in its sub-folders');
    for (const r of Object.values(tries)) expect(r.body).not.toContain(tmp);
    expect(await ctx.app.db.bank.count({ where: { slug: 'x' } })).toBe(0);

    // Without PRAXIS_IMPORT_ROOT, importing a server folder is off; uploads still work.
    const closed = await startTestApp('api-banks-noroot', { PRAXIS_IMPORT_ROOT: undefined });
    try {
      const off = await (await signedInClient(closed.app, 'instructor')).post('/api/banks/import', { slug: 'x', path: LAB_DIR });
      expect(off.statusCode).toBe(403);
      expect(off.json().code).toBe('IMPORT_BY_PATH_OFF');
    } finally {
      await closed.close();
    }
  });

  it('imports an uploaded .tar.gz or .zip, and refuses a broken upload whole', async () => {
    const instructor = await theInstructor();
    const tgz = path.join(tmp, 'bank.tar.gz');
    execFileSync('tar', ['-czf', tgz, '-C', path.dirname(COURSE_LAB), path.basename(COURSE_LAB)]);
    const up = await instructor.request('POST', '/api/banks/upload?slug=uploaded&title=Uploaded', await readFile(tgz), { 'content-type': 'application/gzip' });
    expect(up.statusCode).toBe(201);
    expect(up.json()).toMatchObject({ version: 1, labs: ['01-switching-routing'] });

    // The zip is made in JS (fflate), so the test needs no zip binary on the machine.
    const files: Record<string, Uint8Array> = {};
    for (const f of (await readdir(path.join(tmp, 'broken'), { recursive: true, withFileTypes: true })).filter((e) => e.isFile())) {
      files[path.relative(path.join(tmp, 'broken'), path.join(f.parentPath, f.name))] = await readFile(path.join(f.parentPath, f.name));
    }
    const before = await ctx.app.db.bankVersion.count();
    const refused = await instructor.request('POST', '/api/banks/upload?slug=uploaded', Buffer.from(zipSync(files)), { 'content-type': 'application/zip' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors.map((e: { lab: string }) => e.lab)).toEqual(['bad']);
    expect(await ctx.app.db.bankVersion.count()).toBe(before);

    const junk = await instructor.request('POST', '/api/banks/upload?slug=uploaded', Buffer.from('not an archive'), { 'content-type': 'application/zip' });
    expect(junk.statusCode).toBe(415);
    expect(junk.headers['content-type']).toMatch(/problem\+json/);
  });

  it('creates tests checked against the bank, and shows learners only their cohorts\' tests', async () => {
    const instructor = await theInstructor();
    const learner = await signedInClient(ctx.app, 'learner');
    const bank = (await instructor.get('/api/banks')).json().banks[0];
    const base = { title: 'Routing quiz', bankId: bank.id, lab: '01-switching-routing', timeLimitSeconds: 1800 };
    const unknownQ = await instructor.post('/api/tests', { ...base, selection: { mode: 'fixed', questions: ['no-such-question'] } });
    expect(unknownQ.statusCode).toBe(422);
    expect(unknownQ.json().code).toBe('QUESTION_UNKNOWN');
    const tooMany = await instructor.post('/api/tests', { ...base, selection: { mode: 'draw', pools: [{ count: 99 }] } });
    expect(tooMany.json().code).toBe('POOL_TOO_SMALL');
    const created = await instructor.post('/api/tests', { ...base, selection: { mode: 'draw', pools: [{ kinds: ['choice'], count: 1 }] } });
    expect(created.statusCode).toBe(201);
    const testId = created.json().id as string;

    expect((await learner.get('/api/tests')).json().tests).toEqual([]);
    expect((await learner.get(`/api/tests/${testId}`)).statusCode).toBe(404);

    const cohort = (await instructor.post('/api/cohorts', { name: 'Autumn class' })).json();
    expect(cohort.inviteCode).toMatch(/^[A-Z2-9]{10}$/);
    expect((await instructor.put(`/api/cohorts/${cohort.id}/tests/${testId}`, { dueAt: '2030-01-01T00:00:00Z' })).statusCode).toBe(200);
    expect((await learner.post('/api/cohorts/join', { code: 'WRONGCODE1' })).statusCode).toBe(404);
    expect((await learner.post('/api/cohorts/join', { code: cohort.inviteCode.toLowerCase() })).json().name).toBe('Autumn class');
    expect((await learner.get('/api/tests')).json().tests.map((t: { id: string }) => t.id)).toEqual([testId]);
    expect((await learner.get('/api/me/assignments')).json().assignments[0]).toMatchObject({ testId, cohort: 'Autumn class', dueAt: '2030-01-01T00:00:00.000Z' });
    const detail = (await instructor.get(`/api/cohorts/${cohort.id}`)).json();
    expect(detail.members.map((m: { email: string }) => m.email)).toEqual([learner.email]);

    // Changing the test: checked like a new one; a bad change leaves it as it was.
    expect((await instructor.patch(`/api/tests/${testId}`, { selection: { mode: 'fixed', questions: ['nope'] } })).json().code).toBe('QUESTION_UNKNOWN');
    expect((await instructor.patch(`/api/tests/${testId}`, { availableFrom: '2031-01-01T00:00:00Z', availableUntil: '2030-01-01T00:00:00Z' })).statusCode).toBe(400);
    const patched = await instructor.patch(`/api/tests/${testId}`, { title: 'Routing quiz, v2', timeLimitSeconds: 600, allowCheck: true });
    expect(patched.json()).toMatchObject({ title: 'Routing quiz, v2', timeLimitSeconds: 600, allowCheck: true, selection: { mode: 'draw' } });
    expect((await learner.patch(`/api/tests/${testId}`, { title: 'mine' })).statusCode).toBe(403);

    // A new invite code retires the old one; a removed learner no longer sees the cohort's tests.
    const rotated = (await instructor.post(`/api/cohorts/${cohort.id}/invite-code`)).json();
    expect(rotated.inviteCode).not.toBe(cohort.inviteCode);
    expect((await learner.post('/api/cohorts/join', { code: cohort.inviteCode })).statusCode).toBe(404);
    expect((await instructor.delete(`/api/cohorts/${cohort.id}/members/${learner.userId}`)).statusCode).toBe(204);
    expect((await learner.get('/api/tests')).json().tests).toEqual([]);
    expect((await instructor.delete(`/api/cohorts/${cohort.id}/members/${learner.userId}`)).statusCode).toBe(404);
  });
});

describe('seed bank', () => {
  it('imports the course labs once at start-up with an open practice test per lab, and the mock exam as an exam', async () => {
    const labsDir = path.resolve(import.meta.dirname, '../../../labs');
    const seeded = await startTestApp('api-seed', { PRAXIS_SEED_LABS: labsDir });
    try {
      const learner = await signedInClient(seeded.app, 'learner');
      const tests = (await learner.get('/api/tests')).json().tests as { id: string; lab: string; open: boolean; timeLimitSeconds: number; mode: string; allowCheck: boolean }[];
      const labCount = (await findLabDirs(labsDir)).length;
      expect(tests).toHaveLength(labCount);
      expect(tests.every((t) => t.open && t.timeLimitSeconds >= 60)).toBe(true);
      // The mock exam is an exam of its own two hours (no Check); every other lab is practice.
      const mock = tests.find((t) => t.lab === '90-mock-exam');
      expect(mock, 'the seed bank has the mock exam').toMatchObject({ mode: 'exam', allowCheck: false, timeLimitSeconds: 7200 });
      expect(tests.filter((t) => t !== mock).every((t) => t.mode === 'practice' && t.allowCheck)).toBe(true);
      // Its briefing, as a learner sees it before starting: 15-20 questions worth 100 points.
      const briefing = (await learner.get(`/api/tests/${mock!.id}/briefing`)).json();
      expect(briefing).toMatchObject({ mode: 'exam', points: 100 });
      // It runs on a real cluster, so the briefing does not promise machines in a second; a
      // Korean learner reads its title in Korean like its lab.
      expect(briefing.labs).toEqual([expect.objectContaining({ lab: '90-mock-exam', cluster: true })]);
      const ko = (await learner.get(`/api/tests/${mock!.id}/briefing`, { 'accept-language': 'ko' })).json();
      expect(ko.title).toBe(ko.labs[0].title);
      expect(ko.title).not.toBe(briefing.title);
      expect(briefing.questions).toBeGreaterThanOrEqual(15);
      expect(briefing.questions).toBeLessThanOrEqual(20);
      // A restart does not import again.
      await seeded.app.close();
      const again = await seeded.restart();
      expect(await again.db.bankVersion.count()).toBe(1);
      expect(await again.db.test.count()).toBe(labCount);
    } finally {
      await seeded.close();
    }
  });
});

// What the leader's lab-image collector keeps, against a real PostgreSQL and the real engine: the
// lab images of each bank's latest published version and of the drafts after it, and of the
// versions that unfinished attempts pinned; not those of a superseded version or of a draft left
// behind by a later publish. (Removal itself is proved in packages/sandbox/test/collect-lab-images.test.ts;
// this server's collector stays off, as in every test app, since the engine is shared.)
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labImageTag, neededLabImageTags, resolveImages } from '@praxis/sandbox';
import { importBank } from '../src/services/banks/import-bank';
import { labsThatMayStart, versionsThatMayStart } from '../src/services/banks/labs-that-may-start';
import { followEvents, LAB_DIR, setUpTest, useAttemptApp } from './attempt-helpers';

const SCOPE = 'api-lab-images';
const root = mkdtempSync(path.join(os.tmpdir(), 'praxis-api-lab-images-'));
const ctx = useAttemptApp(SCOPE, { PRAXIS_IMPORT_ROOT: root });
const run = randomBytes(3).toString('hex');

afterAll(() => rm(root, { recursive: true, force: true }));

/** A version of the bank "pk": the packages fixture naming `packages` (imported without building: nothing here runs apt). */
async function importPackagesVersion(n: number, packages: string[], publish: boolean) {
  const dir = path.join(root, `pk-${n}`, 'packages-lab');
  await cp(path.resolve(import.meta.dirname, '../../../packages/grader/test/fixtures/packages-lab'), dir, { recursive: true });
  const yaml = await readFile(path.join(dir, 'lab.yaml'), 'utf8');
  await writeFile(path.join(dir, 'lab.yaml'), yaml.replace('packages: [bc]', `packages: [${packages.join(', ')}]`));
  return importBank(ctx.app.db, { slug: 'pk', dir: path.dirname(dir), shownAs: `pk-${n}`, publish, user: null });
}

describe('lab images the collector keeps', () => {
  it('keeps the images of the latest published version, the drafts after it and the versions unfinished attempts pinned', { timeout: 180_000 }, async () => {
    const docker = ctx.app.sandbox.docker;
    const nodeTag = (await resolveImages(docker, ['node'], ctx.config.images)).node!;
    const pk = (name: string) => [`praxis-gc-${name}-${run}`];
    const neededOfPk = async () => {
      const needed = await neededLabImageTags(docker, (await labsThatMayStart(ctx.app.db)).map((l) => l.topology), ctx.config.images);
      return ['one', 'two', 'three'].filter((name) => needed.has(labImageTag(nodeTag, pk(name))));
    };

    await importPackagesVersion(1, pk('one'), true);
    await importPackagesVersion(2, pk('two'), false);
    // Published, and a draft being authored after it.
    expect(await neededOfPk()).toEqual(['one', 'two']);
    // A later publish supersedes both: the old version and the draft it passed over.
    await importPackagesVersion(3, pk('three'), true);
    expect(await neededOfPk()).toEqual(['three']);

    // An attempt pins its version: a newer publish does not drop it while the attempt runs.
    await cp(LAB_DIR, path.join(root, path.basename(LAB_DIR)), { recursive: true });
    const { instructor, testId, learner } = await setUpTest(ctx.app, { questions: ['list-interfaces'], timeLimitSeconds: 600 });
    const mia = await learner();
    const attemptId = (await mia.post(`/api/tests/${testId}/attempts`)).json().id as string;
    expect((await followEvents(mia, attemptId)).at(-1)?.event).toBe('ready');
    expect((await instructor.post('/api/banks/import', { slug: 'course', path: path.basename(LAB_DIR) })).statusCode).toBe(201);
    const course = await ctx.app.db.bankVersion.findMany({ where: { bank: { slug: 'course' } }, orderBy: { version: 'asc' } });
    expect(course.map((v) => v.version)).toEqual([1, 2]);
    const kept = await versionsThatMayStart(ctx.app.db);
    expect(course.map((v) => kept.has(v.id))).toEqual([true, true]);
    await mia.post(`/api/attempts/${attemptId}/submit`);
    const after = await versionsThatMayStart(ctx.app.db);
    expect(course.map((v) => after.has(v.id))).toEqual([false, true]);
  });
});

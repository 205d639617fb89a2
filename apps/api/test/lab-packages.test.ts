// A lab that names Debian packages, through the server: importing its bank starts building its lab
// image in the background (so the first learner does not wait for apt), and a learner's start
// provisions its node from that image (the node has the tool), with the images step reported.
import { mkdtempSync } from 'node:fs';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execInNode, imageExists, labImageTag, resolveImages } from '@praxis/sandbox';
import { signedInClient } from './api-helpers';
import { followEvents, useAttemptApp, waitFor } from './attempt-helpers';

const SCOPE = 'api-lab-packages';
const root = mkdtempSync(path.join(os.tmpdir(), 'praxis-api-packages-'));
const ctx = useAttemptApp(SCOPE, { PRAXIS_IMPORT_ROOT: root });
// A list no other test uses, so this file alone builds and removes its image.
const PACKAGES = ['bc', 'tree'];
let tag = '';

afterAll(async () => {
  if (tag) await ctx.app?.sandbox.docker.getImage(tag).remove({ force: true }).catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

describe('lab packages through the server', () => {
  it('builds the lab image when the bank is imported, and a learner starts on it', { timeout: 600_000 }, async () => {
    const docker = ctx.app.sandbox.docker;
    const lab = path.join(root, 'bank', 'packages-lab');
    await cp(path.resolve(import.meta.dirname, '../../../packages/grader/test/fixtures/packages-lab'), lab, { recursive: true });
    const yaml = await readFile(path.join(lab, 'lab.yaml'), 'utf8');
    await writeFile(path.join(lab, 'lab.yaml'), yaml.replace('packages: [bc]', `packages: [${PACKAGES.join(', ')}]`));
    tag = labImageTag((await resolveImages(docker, ['node'], ctx.config.images)).node!, PACKAGES);
    if (await imageExists(docker, tag)) await docker.getImage(tag).remove({ force: true });

    const instructor = await signedInClient(ctx.app, 'instructor');
    const t0 = performance.now();
    const imported = await instructor.post('/api/banks/import', { slug: 'pk', path: 'bank' });
    expect(imported.statusCode, imported.body).toBe(201);
    // The import answers at once; the build goes on behind it.
    expect(performance.now() - t0).toBeLessThan(10_000);
    await waitFor('the lab image built after the import', () => imageExists(docker, tag), 300_000, 500);

    const created = await instructor.post('/api/tests', {
      title: 'Packages',
      bankId: imported.json().bankId,
      lab: 'packages-lab',
      timeLimitSeconds: 600,
      open: true,
      selection: { mode: 'fixed', questions: ['big-power'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const learner = await signedInClient(ctx.app, 'learner');
    const attemptId = (await learner.post(`/api/tests/${created.json().id}/attempts`)).json().id as string;
    const events = await followEvents(learner, attemptId);
    expect(events.at(-1)!.event).toBe('ready');
    const images = events.filter((e) => e.event === 'progress' && e.data.step === 'images').map((e) => e.data.message);
    // Already built by the import: no build during the start.
    expect(images).toEqual([expect.stringContaining(`images ready (${tag}`)]);
    const view = (await learner.get(`/api/attempts/${attemptId}`)).json();
    const r = await execInNode(docker, view.instanceId, 'solo', ['sh', '-c', "echo '6*7' | bc && command -v tree"], { timeoutMs: 20_000 });
    expect(r.stdout).toBe('42\n/usr/bin/tree\n');
    await learner.post(`/api/attempts/${attemptId}/submit`);
  });
});

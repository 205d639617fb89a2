// Bank uploads against a real server and PostgreSQL: zip and tar.gz bombs are stopped at the
// running limits while /healthz keeps answering (its p99 measured during the uploads), every
// refused upload removes its temporary folder, a lab at the archive's top level takes the
// bank's slug as its id, and simultaneous imports to one bank give one winner per version and
// 409s, never a 5xx.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { gzipSync, strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { lyingZip, tarEntry, tarOf, zeroTarGz } from './archive-builders';
import { signedInClient, useTestApp } from './api-helpers';
import { measureHealth, percentile } from './health-prober';

const ctx = useTestApp('api-uploads');
const COURSE_LAB = path.resolve(import.meta.dirname, '../../../labs/01-switching-routing');
const MB = 1024 * 1024;

/** The files of the course's lab as a zip with the lab at its top level (no folder around it). */
async function topLevelLabZip(): Promise<Buffer> {
  const files: Record<string, Uint8Array> = {};
  for (const e of (await readdir(COURSE_LAB, { recursive: true, withFileTypes: true })).filter((x) => x.isFile())) {
    files[path.relative(COURSE_LAB, path.join(e.parentPath, e.name))] = await readFile(path.join(e.parentPath, e.name));
  }
  return Buffer.from(zipSync(files));
}

describe('bank uploads', () => {
  it('stops bombs at the running limits while /healthz keeps answering, and removes every temporary folder', async () => {
    const instructor = await signedInClient(ctx.app, 'instructor');
    await ctx.app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`;
    const uploads = path.join(ctx.config.dataDir, 'uploads');
    const upload = (body: Buffer, type = 'application/zip') => instructor.request('POST', '/api/banks/upload?slug=bombed', body, { 'content-type': type });

    // A zip whose headers claim 1,000,000 bytes (under the entry limit) for 1 GB of zeros, a zip
    // that claims 1 kB for 256 MB, and a tar.gz of 1 GB of zeros: each 0.25-1 MB on the wire.
    const bombs = [
      { name: 'zip claiming 1 MB', body: await lyingZip('lab/notes.md', 1024 * MB, 1_000_000), type: 'application/zip', reason: /more data than its header says/ },
      { name: 'zip claiming 1 kB', body: await lyingZip('lab/notes.md', 256 * MB, 1000), type: 'application/zip', reason: /more data than its header says/ },
      { name: 'tar.gz of 1 GB', body: await zeroTarGz('lab/zeros.bin', 1024 * MB), type: 'application/gzip', reason: /unpacks to more than 1 MB/ },
    ];
    for (const b of bombs) expect(b.body.length, b.name).toBeLessThan(20 * MB);

    // The idle figures first, with the event loop's own delay: on two cores shared with a cluster
    // booting in another suite, an idle loop already waits for a core now and then.
    const idleLoop = monitorEventLoopDelay({ resolution: 5 });
    idleLoop.enable();
    const baseline = await measureHealth(base, new Promise((r) => setTimeout(r, 2000)));
    idleLoop.disable();
    // One bomb after the other, round after round for 2 s, while /healthz is timed; the
    // event loop's own delay is recorded too.
    const answers: { statusCode: number; body: string; json(): { code: string; detail: string } }[] = [];
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const bombing = (async () => {
      for (const until = Date.now() + 2000; Date.now() < until; ) for (const b of bombs) answers.push(await upload(b.body, b.type));
    })();
    const during = await measureHealth(base, bombing);
    await bombing;
    loop.disable();
    answers.forEach((res, i) => {
      const bomb = bombs[i % bombs.length]!;
      expect(res.statusCode, `${bomb.name}: ${res.body}`).toBe(400);
      expect(res.json().code).toBe('ARCHIVE_INVALID');
      expect(res.json().detail).toMatch(bomb.reason);
    });
    const figures = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(1)} ms, p99 ${percentile(xs, 99).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (${xs.length} requests)`;
    console.log(
      `/healthz alone: ${figures(baseline)}; during ${answers.length} bomb uploads: ${figures(during)}; event-loop delay p99 ${(idleLoop.percentile(99) / 1e6).toFixed(1)} ms idle, ${(loop.percentile(99) / 1e6).toFixed(1)} ms during, max ${(loop.max / 1e6).toFixed(1)} ms`,
    );
    // The mechanism first: the event loop itself is never held for 100 ms more than it waits when
    // idle (the old unzip of a bomb held it 6.7 s here). Then what a client sees: /healthz p99
    // under 250 ms, or under the idle p99 plus 200 ms on a machine whose idle p99 is already near
    // that. A blocked loop (seconds) fails both; the client figure's margin is wider because its
    // few dozen requests make p99 their slowest one, which a core taken by another suite's cluster
    // moves by 100-150 ms (CI of 2026-11-30: idle p99 58 ms, during 194 ms, loop p99 64 ms).
    expect(loop.percentile(99) / 1e6).toBeLessThan(Math.max(100, idleLoop.percentile(99) / 1e6 + 100));
    expect(percentile(during, 99)).toBeLessThan(Math.max(250, percentile(baseline, 99) + 200));

    // Malformed archives: each refused with a sentence, none leaves a folder or shows a path.
    const malformed = [
      zipSync({ a: strToU8('file'), 'a/b': strToU8('inside') }),
      zipSync({ '.': strToU8('dot') }),
      zipSync({ [`${'x'.repeat(300)}.md`]: strToU8('long') }),
      gzipSync(tarOf(tarEntry('lab/link', '', '2'))),
      gzipSync(tarOf(tarEntry('lab/a', 'x'), tarEntry('lab/a/b', 'y'))),
      gzipSync(tarOf(tarEntry('../escape', 'x'))),
      Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0, 0]),
    ];
    for (const body of malformed) {
      const res = await upload(Buffer.from(body), body[0] === 0x1f ? 'application/gzip' : 'application/zip');
      expect(res.statusCode, res.body).toBe(400);
      expect(res.body).not.toContain(ctx.config.dataDir);
      expect(res.body).not.toContain('praxis-upload');
      expect(await readdir(uploads), res.body).toEqual([]);
    }
    // A valid archive of an invalid bank (422) and a valid one (201) clean up too.
    expect((await upload(Buffer.from(zipSync({ 'lab/lab.yaml': strToU8('title: [') })))).statusCode).toBe(422);
    expect((await upload(await topLevelLabZip())).statusCode).toBe(201);
    expect(await readdir(uploads)).toEqual([]);
    expect(await ctx.app.db.bankVersion.count({ where: { bank: { slug: 'bombed' } } })).toBe(1);
  });

  it('names a lab at the archive\'s top level after the bank, not after a temporary folder', async () => {
    const instructor = await signedInClient(ctx.app, 'instructor');
    const res = await instructor.request('POST', '/api/banks/upload?slug=routing-basics', await topLevelLabZip(), { 'content-type': 'application/zip' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().labs).toEqual(['routing-basics']);
    const bank = (await instructor.get('/api/banks')).json().banks.find((b: { slug: string }) => b.slug === 'routing-basics');
    expect(bank.versions[0].labs).toEqual(['routing-basics']);
  });

  it('gives simultaneous imports to one bank one winner per version and 409s, never a 5xx', async () => {
    const instructor = await signedInClient(ctx.app, 'instructor');
    const results = await Promise.all(Array.from({ length: 6 }, () => instructor.post('/api/banks/import', { slug: 'raced', path: path.basename(COURSE_LAB) })));
    const statuses = results.map((r) => r.statusCode);
    console.log(`six simultaneous imports: ${statuses.join(' ')}`);
    expect(statuses.every((s) => s === 201 || s === 409), results.map((r) => r.body.slice(0, 160)).join('\n')).toBe(true);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json().code).toBe('BANK_IMPORT_CONFLICT');
    const versions = results.filter((r) => r.statusCode === 201).map((r) => r.json().version as number);
    expect(versions.length).toBeGreaterThan(0);
    expect(new Set(versions).size).toBe(versions.length);
    expect(await ctx.app.db.bankVersion.count({ where: { bank: { slug: 'raced' } } })).toBe(versions.length);
  });
});

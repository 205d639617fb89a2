// `praxis import killercoda|instruqt` as an instructor runs it, then `praxis lab test` on the real
// engine: each imported lab provisions (assets copied, bash setup run by its #! line), every
// adapted verify/check script fails on the fresh machines and passes after the solutions.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { praxis } from './helpers';

const fixture = (rel: string) => fileURLToPath(new URL(`../../labs/test/fixtures/${rel}`, import.meta.url));
let work = '';
afterAll(() => rm(work, { recursive: true, force: true }));

describe('praxis import', () => {
  it.each([
    ['killercoda', 'killercoda/app-config', ['create-the-greeting-file', 'move-the-app-to-port-8080', 'run-the-report-tool'], 'Run the report tool: not done yet.'],
    ['instruqt', 'instruqt/name-and-listener', ['add-host', 'start-listener'], 'socat is not running on the server'],
  ])('imports a %s source into a lab that passes lab validate and lab test', async (kind, source, tasks, reason) => {
    work ||= await mkdtemp(path.join(tmpdir(), 'praxis-import-cli-'));
    const out = path.join(work, kind);
    const imported = await praxis(['import', kind, fixture(source), '--out', out]);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^wrote .* \d+ mapped, \d+ adapted, \d+ to review, \d+ not mapped/);
    expect(imported.stdout).toMatch(/  not mapped: \S+: /);
    expect(imported.stdout).toContain('valid, ');

    const test = await praxis(['lab', 'test', out, '--verbose', '--quiet']);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    for (const id of tasks) expect(test.stdout).toMatch(new RegExp(`✓\\s+\\d+\\s+${id}\\s+task\\s+failed\\s+passed`));
    // The learner's reason on the fresh machines comes from the source (fail-message, or the step title).
    expect(test.stdout).toContain(`fresh:  ${reason}`);

    const again = await praxis(['import', kind, fixture(source), '--out', out]);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('exists and is not empty') });
  });
});

// `praxis lab test` stopped by Ctrl-C or SIGTERM, as an author stops it: the run's machines are
// removed at once (not left to expire), the command says which, and exits 128+signal.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { docker, praxis } from './helpers';

const lab = fileURLToPath(new URL('../../grader/test/fixtures/spoof-lab', import.meta.url));

describe('praxis lab test, stopped', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('on %s removes the instances it made, names them and exits %i', async (signal, code) => {
    let sent = false;
    const r = await praxis(['lab', 'test', lab], {
      // Once the lab's machines are up and its checks run.
      onStderr: (soFar, child) => {
        if (!sent && soFar.includes('fresh machines: checks must fail')) {
          sent = true;
          child.kill(signal);
        }
      },
    });
    expect(sent, r.stderr).toBe(true);
    expect(r.code, r.stdout + r.stderr).toBe(code);
    expect(r.stderr).toContain(`praxis: ${signal}: stopping the lab test and removing its machines`);
    const removed = [...r.stderr.matchAll(/^praxis: removed instance (\S+)$/gm)].map((m) => m[1]!);
    expect(removed).toHaveLength(1);
    expect(r.stderr).toMatch(/praxis: lab test stopped; 1 instance removed$/m);
    expect(r.stdout).not.toMatch(/labs? passed/);
    const left = await docker.listContainers({ all: true, filters: { label: [`praxis.instance=${removed[0]}`] } });
    expect(left).toEqual([]);
    const volumes = await docker.listVolumes({ filters: { label: [`praxis.instance=${removed[0]}`] } });
    expect(volumes.Volumes ?? []).toEqual([]);
  });
});

// Several processes (API workers, test workers) provisioning at once on a fresh engine all start
// the one fabric: the first creates it, the rest join it. Docker answers their creates with 409
// before the container can be inspected; every process must still get the container, running.
// (CI's first cluster labs failed on this with "no such container: praxis-fabric".) The race is
// run on a throwaway container of the same kind, so the real fabric of other suites is untouched.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createDockerClient, createOrJoin, DEFAULT_BASE_IMAGE, LABEL } from '../src';
import { docker } from './helpers';

const name = `praxis-test-fabric-race-${randomBytes(3).toString('hex')}`;
afterAll(() => docker.getContainer(name).remove({ force: true }).catch(() => undefined));

describe('the fabric on a fresh engine', () => {
  it('is created once and joined by eight processes starting it at the same moment', async () => {
    const spec = {
      name,
      Image: DEFAULT_BASE_IMAGE,
      Cmd: ['sleep', 'infinity'],
      Labels: { [LABEL.role]: 'fabric-race-test' },
      HostConfig: { NetworkMode: 'none', Memory: 32 * 1024 * 1024 },
    };
    // Eight clients, as eight processes would have: nothing is shared between them.
    const clients = Array.from({ length: 8 }, () => createDockerClient({ host: process.env.DOCKER_HOST }));
    const results = await Promise.allSettled(clients.map((client) => createOrJoin(client, spec)));
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message)] : []));
    expect(failures).toEqual([]);
    const ids = new Set(results.map((r) => (r as PromiseFulfilledResult<string>).value));
    expect(ids.size).toBe(1);
    const info = await docker.getContainer(name).inspect();
    expect(info.Id).toBe([...ids][0]);
    expect(info.State.Running).toBe(true);
  });
});

// CPU hogs are demoted: a node that spins is put at idle CPU priority within two rounds, a quiet
// node of the same instance is not, and the spinner gets normal priority back once it stops.
import { afterAll, describe, expect, it } from 'vitest';
import { createDockerClient, createInstance, destroyScopeInstances, execInNode, sampleNodeCpu, type Instance } from '@praxis/sandbox';
import { CpuHogs } from '../src/services/watchdog/cpu-hogs';

const docker = createDockerClient({ host: process.env.DOCKER_HOST });
const scope = `test-cpu-hogs-${Date.now().toString(36)}`;
afterAll(() => destroyScopeInstances(docker, scope));

const idleOf = async (inst: Instance) => {
  const samples = await sampleNodeCpu(docker, inst.nodes.map((n) => n.containerId));
  return Object.fromEntries(inst.nodes.map((n) => [n.name, samples.find((s) => s.containerId === n.containerId)?.idle]));
};

describe('CPU hogs', () => {
  it('demotes the spinning node only, and restores it when it calms down', async () => {
    const inst = await createInstance(docker, { nodes: [{ name: 'busy' }, { name: 'quiet' }] }, { scope });
    const hogs = new CpuHogs({ docker, scope, log: { info() {} } });
    await execInNode(docker, inst.id, 'busy', ['sh', '-c', 'setsid sh -c "while :; do :; done" </dev/null >/dev/null 2>&1 &']);
    await hogs.round();
    await new Promise((r) => setTimeout(r, 2000));
    const first = await hogs.round();
    expect(first.demoted).toEqual([`${inst.id}/busy`]);
    expect(await idleOf(inst)).toEqual({ busy: true, quiet: false });

    await execInNode(docker, inst.id, 'busy', ['sh', '-c', 'pkill -f "while :"; true']);
    await new Promise((r) => setTimeout(r, 2000));
    expect((await hogs.round()).restored).toEqual([`${inst.id}/busy`]);
    expect(await idleOf(inst)).toEqual({ busy: false, quiet: false });
  });
});

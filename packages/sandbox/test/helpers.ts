// Shared pieces of the sandbox integration tests: the real Docker client, a scope of this test
// file's own (so concurrent suites never touch each other's instances), and small exec helpers.
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createDockerClient, destroyScopeInstances, execInNode, type Instance } from '../src';

// DOCKER_HOST selects another engine (e.g. one with --userns-remap), as for the docker CLI.
export const docker = createDockerClient({ host: process.env.DOCKER_HOST });
export const run = promisify(execFile);

export function newScope(name: string): string {
  return `test-${name}-${randomBytes(3).toString('hex')}`;
}

/** The course's router lab: A 192.168.1.5, B 192.168.1.6 / 192.168.2.6, C 192.168.2.5. */
export const routerTopology = {
  nodes: [
    { name: 'a', hostname: 'host-a' },
    { name: 'b', hostname: 'host-b', sysctls: { 'net.ipv4.ip_forward': 0 } },
    { name: 'c', hostname: 'host-c' },
  ],
  segments: [{ name: 'lan1' }, { name: 'lan2' }],
  links: [
    { node: 'a', interface: 'eth0', segment: 'lan1', address: '192.168.1.5/24' },
    { node: 'b', interface: 'eth0', segment: 'lan1', address: '192.168.1.6/24' },
    { node: 'b', interface: 'eth1', segment: 'lan2', address: '192.168.2.6/24' },
    { node: 'c', interface: 'eth0', segment: 'lan2', address: '192.168.2.5/24' },
  ],
};

/** Runs a shell line in a node; returns the exec result. */
export async function sh(instance: Instance, node: string, line: string, timeoutMs = 20_000) {
  return execInNode(docker, instance.id, node, ['sh', '-c', line], { timeoutMs });
}

/** Fails the test with the command's output when it does not exit 0. */
export async function ok(instance: Instance, node: string, line: string) {
  const r = await sh(instance, node, line);
  if (r.exitCode !== 0) throw new Error(`"${line}" on ${node} exited ${r.exitCode}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

export async function canPing(instance: Instance, node: string, address: string): Promise<boolean> {
  const r = await sh(instance, node, `ping -c 1 -W 1 ${address}`);
  return r.exitCode === 0;
}

export function destroyScope(scope: string): Promise<void> {
  return destroyScopeInstances(docker, scope);
}

export async function containersInScope(scope: string): Promise<number> {
  const all = await docker.listContainers({ all: true, filters: { label: [`praxis.scope=${scope}`] } });
  return all.length;
}

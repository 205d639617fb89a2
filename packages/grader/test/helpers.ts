// Shared pieces of the grader integration tests: the real Docker client, a scope of the test
// file's own (so concurrent suites never touch each other's instances), a live instance of a lab
// with the grading context on it, and the sweep of a scope.
import { randomBytes } from 'node:crypto';
import { createDockerClient, createInstance, destroyScopeInstances, execInNode, type Instance } from '@praxis/sandbox';
import { loadLab, type Lab } from '@praxis/labs';
import type { GradeContext } from '../src';

// DOCKER_HOST selects another engine, as for the docker CLI (and the sandbox's tests).
export const docker = createDockerClient({ host: process.env.DOCKER_HOST });

export function newScope(name: string): string {
  return `test-${name}-${randomBytes(3).toString('hex')}`;
}

/** Loads the lab in `labDir` (failing on its errors) and provisions its topology in `scope`. */
export async function startLabInstance(labDir: string, scope: string): Promise<{ lab: Lab; instance: Instance; ctx: GradeContext }> {
  const loaded = await loadLab(labDir);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const lab = loaded.lab;
  const instance = await createInstance(docker, lab.topology, { scope, owner: 'grader-test' });
  return { lab, instance, ctx: { docker, instanceId: instance.id, variables: lab.variables } };
}

/** Destroys what is left in `scope` (the code under test tears down itself; this guards against a crash). */
export function destroyScope(scope: string): Promise<void> {
  return destroyScopeInstances(docker, scope);
}

/** A shell line in a node of an instance, as the learner's root; throws with its output when it fails. */
export function nodeShell(instanceId: () => string) {
  return async (node: string, line: string): Promise<string> => {
    const r = await execInNode(docker, instanceId(), node, ['sh', '-c', line], { timeoutMs: 20_000 });
    if (r.exitCode !== 0) throw new Error(`"${line}" on ${node} exited ${r.exitCode}: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
}

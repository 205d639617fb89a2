// A provisioning that fails says why, with a stable code, and leaves nothing behind.
import { afterAll, describe, expect, it } from 'vitest';
import { createInstance, SandboxError, TopologyError } from '../src';
import { containersInScope, destroyScope, docker, newScope } from './helpers';

const scope = newScope('errors');
afterAll(() => destroyScope(scope));

describe('provisioning errors', () => {
  it('reports a failing setup script with its node and last lines, and removes the instance', async () => {
    const topology = {
      nodes: [{ name: 'a', setup: 'echo preparing\necho "disk full" >&2\nexit 3' }, { name: 'b' }],
      segments: [{ name: 'lan' }],
      links: [
        { node: 'a', segment: 'lan', address: '10.0.0.1/24' },
        { node: 'b', segment: 'lan', address: '10.0.0.2/24' },
      ],
    };
    const error = await createInstance(docker, topology, { scope }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxError);
    expect((error as SandboxError).code).toBe('SETUP_FAILED');
    expect((error as SandboxError).message).toMatch(/setup script of node "a" exited with 3: disk full/);
    expect(await containersInScope(scope)).toBe(0);
  });

  it('refuses a bad topology before touching Docker', async () => {
    const error = await createInstance(docker, { nodes: [{ name: 'a' }], links: [{ node: 'a', segment: 'nope' }] }, { scope }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TopologyError);
    expect((error as Error).message).toContain('links[0].segment: unknown segment "nope" (segments: none defined)');
    expect(await containersInScope(scope)).toBe(0);
  });

  it('refuses an unknown image by name', async () => {
    const error = await createInstance(docker, { nodes: [{ name: 'a', image: 'windows' }] }, { scope }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/unknown image "windows" \(images: .*node/);
    expect(await containersInScope(scope)).toBe(0);
  });
});

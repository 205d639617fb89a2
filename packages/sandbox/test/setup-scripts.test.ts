// Setup scripts and lab files on the real engine: a script runs by its own `#!` interpreter with
// the lab variables in its environment, files land with their mode before it runs, and a broken
// script is reported with its file name and its own line number (no prelude shifts it).
import { afterAll, describe, expect, it } from 'vitest';
import { createInstance, destroyInstance, SandboxError } from '../src';
import { containersInScope, destroyScope, docker, newScope, sh } from './helpers';

const scope = newScope('setup');
afterAll(() => destroyScope(scope));

const oneNode = (node: Record<string, unknown>) => ({
  nodes: [{ name: 'a', ...node }],
  segments: [{ name: 'lan' }],
  links: [{ node: 'a', segment: 'lan', address: '10.0.0.1/24' }],
});

describe('setup scripts', () => {
  it('runs a bash script by its #! line, with variables in its environment, after the files are copied', async () => {
    const setup = [
      '#!/bin/bash',
      'set -euo pipefail',
      'names=(one two)',
      '[[ -x /usr/local/bin/hello ]]',
      'echo "${names[1]} $greeting $PRAXIS_NODE $(/usr/local/bin/hello)" > /root/setup-ran',
    ].join('\n');
    const instance = await createInstance(
      docker,
      oneNode({
        setup,
        setupSource: 'setup/a.sh',
        setupEnv: { greeting: "it's here" },
        files: [
          { path: '/usr/local/bin/hello', content: '#!/bin/sh\necho hi\n', mode: '0755' },
          { path: '/etc/app/conf.d/app.conf', content: 'port=8080\n' },
        ],
      }),
      { scope },
    );
    try {
      expect((await sh(instance, 'a', 'cat /root/setup-ran')).stdout).toBe("two it's here a hi\n");
      expect((await sh(instance, 'a', 'stat -c "%a %U" /usr/local/bin/hello /etc/app/conf.d/app.conf')).stdout).toBe('755 root\n644 root\n');
      // The script itself is not left in the node.
      expect((await sh(instance, 'a', 'ls -d /tmp/praxis-setup.* 2>/dev/null | wc -l')).stdout.trim()).toBe('0');
    } finally {
      await destroyInstance(docker, instance.id);
    }
  });

  it('names the script file and its own line when sh cannot parse it', async () => {
    const setup = 'echo one\necho two\nif then\n  echo never\nfi\n';
    const error = await createInstance(docker, oneNode({ setup, setupSource: 'setup/a.sh', setupEnv: { x: '1', y: '2' } }), { scope }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxError);
    expect((error as Error).message).toMatch(/^setup script setup\/a\.sh of node "a" exited with 2: setup\/a\.sh: 3: Syntax error/);
    expect(await containersInScope(scope)).toBe(0);
  });

  it('names the interpreter a #! line asks for when the node lacks it', async () => {
    const error = await createInstance(docker, oneNode({ setup: '#!/usr/bin/env ruby\nputs 1\n', setupSource: 'setup/a.rb' }), { scope }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/setup script setup\/a\.rb of node "a" exited with 127: .*ruby.*No such file or directory/);
  });
});

// `praxis sandbox up/exec/down` as an author uses them: piped standard input reaches the command
// (`-- bash -s < script.sh`), its exit code is the command's, and a node has IPv6 off by default.
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { destroyScope, newScope, praxis } from './helpers';

const scope = newScope('exec');
afterAll(() => destroyScope(scope));
const lab = fileURLToPath(new URL('./fixtures/one-node', import.meta.url));

describe('praxis sandbox exec', () => {
  it('passes piped stdin to the command and returns its exit code', async () => {
    const up = await praxis(['sandbox', 'up', lab, '--scope', scope, '--ttl', '10']);
    expect(up.code, up.stderr).toBe(0);
    const id = /instance (px[0-9a-f]+)/.exec(up.stdout)![1]!;

    const script = 'names=(one two)\necho "${names[1]} from $(hostname)"\nexit 3\n';
    const piped = await praxis(['sandbox', 'exec', id, 'a', '--', 'bash', '-s'], { stdin: script });
    expect(piped).toMatchObject({ code: 3, stdout: 'two from host-a\n' });

    const sum = await praxis(['sandbox', 'exec', id, 'a', '--', 'sh', '-c', 'wc -l'], { stdin: 'one\ntwo\nthree\n' });
    expect(sum).toMatchObject({ code: 0, stdout: '3\n' });

    // IPv6 is off unless the topology's sysctls turn it on (docs/lab-format.md).
    const v6 = await praxis(['sandbox', 'exec', id, 'a', '--', 'cat', '/proc/sys/net/ipv6/conf/all/disable_ipv6']);
    expect(v6.stdout).toBe('1\n');

    expect((await praxis(['sandbox', 'down', id])).code).toBe(0);
  });
});

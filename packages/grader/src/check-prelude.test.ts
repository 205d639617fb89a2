// The text piped to bash in a grader, run here by a local bash: variables, helpers, the lab's
// shared library (which may use the helpers), then the author's script, in that order.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildCheckScript } from './check-prelude';

function runBash(stdin: string) {
  const r = spawnSync('bash', ['--noprofile', '--norc', '-s'], { input: stdin, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('buildCheckScript', () => {
  it("runs the lab's library before the script, with the variables and helpers defined", () => {
    const lib = 'need_var() { [ -n "$gateway" ] || fail "no gateway"; echo "lib sees $gateway on $PRAXIS_NODE"; }\ncd /tmp';
    const r = runBash(buildCheckScript('b', { gateway: '192.168.1.1' }, 'need_var\npwd\nfail "from the script"', lib));
    expect(r.stdout).toBe('lib sees 192.168.1.1 on b\n/\nFAIL: from the script\n');
    expect(r.code).toBe(1);
  });

  it('runs the script alone when the lab has no library', () => {
    const r = runBash(buildCheckScript('a', {}, 'type need_var >/dev/null 2>&1 && echo defined; echo ok'));
    expect(r.stdout).toBe('ok\n');
    expect(r.code).toBe(0);
  });
});

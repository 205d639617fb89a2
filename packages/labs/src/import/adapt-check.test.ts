import { describe, expect, it } from 'vitest';
import { adaptCheckScript, wrapImportedCheck } from './adapt-check';

describe('adaptCheckScript', () => {
  it('reads node files through nodepath, keeps programs and single-quoted text, and rewrites lookups', () => {
    const src = [
      '#!/bin/bash',
      'test -f /root/hello.txt || exit 1',
      'grep -q "port 8080" ~/app/config.ini',
      '/usr/local/bin/mytool --check',
      "awk '/etc/ {print}' /etc/fstab",
      'command -v nginx >/dev/null',
      'getent hosts web',
      'pgrep -x dnsmasq',
    ].join('\n');
    const r = adaptCheckScript(src, 'step1/verify.sh');
    expect(r.text.split('\n')).toEqual([
      '# #!/bin/bash',
      'test -f "$(nodepath /root/hello.txt)" || exit 1',
      'grep -q "port 8080" "$(nodepath /root/app/config.ini)"',
      '/usr/local/bin/mytool --check',
      `awk '/etc/ {print}' "$(nodepath /etc/fstab)"`,
      'node_command nginx >/dev/null',
      'node_getent hosts web',
      'nodeprocs pgrep -x dnsmasq',
    ]);
    const at = (line: number) => r.notes.filter((n) => n.line === line).map((n) => `${n.kind}: ${n.message}`);
    expect(at(3)).toContain("review: matches text in a node file: a learner can write the expected text by hand; prove the mechanism (the real consumer's view) where you can");
    expect(at(5)).toEqual(expect.arrayContaining([expect.stringMatching(/^review: \/etc\/ is inside single quotes/)]));
    expect(at(6)).toEqual(["adapted: `command -v` became `node_command` (the node's programs, not the grader's)"]);
    expect(r.notes.every((n) => n.source === 'step1/verify.sh')).toBe(true);
  });

  it('flags writes, systemd, ps, history and symptom probes for a human', () => {
    const r = adaptCheckScript('echo ok > /tmp/marker\nsystemctl is-active nginx\nps aux | grep nginx\ncurl -s localhost | grep Welcome\ncat ~/.bash_history | grep -q ip\n', 'check-host01');
    const kinds = r.notes.filter((n) => n.kind === 'review').map((n) => `${n.line} ${n.message.split(':')[0]}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        '1 writes with a redirection',
        '2 asks systemd, which the nodes do not run',
        "3 `ps` in the grader lists only the grader's processes",
        '4 tests a symptom (a reply) that a learner can stage with a stand-in',
        '5 reads the shell history, which the learner can write without doing the task',
      ]),
    );
  });

  it('reads quotes and command positions far along a line, and keeps an over-long line as it is, flagged', () => {
    const lead = 'true && '.repeat(40);
    const r = adaptCheckScript(`${lead}grep -q x /etc/hosts && echo '/etc/motd' && ${lead}/etc/init.d/foo status\n${'grep x /etc/a '.repeat(200)}`, 'verify.sh');
    const [first, second] = r.text.split('\n');
    expect(first).toBe(`${lead}grep -q x "$(nodepath /etc/hosts)" && echo '/etc/motd' && ${lead}/etc/init.d/foo status`);
    expect(second).toBe('grep x /etc/a '.repeat(200));
    expect(r.notes.filter((n) => n.line === 2)).toEqual([
      { kind: 'review', source: 'verify.sh', line: 2, message: expect.stringContaining('longer than 2000 characters, so it was neither adapted nor checked') },
    ]);
  });

  it('wraps the script so a bare exit 1 still gives the learner a reason', () => {
    const wrapped = wrapImportedCheck('exit 1', "Step 1: it's not done");
    expect(wrapped).toContain("(\nexit 1\n) || { [ -e \"$PRAXIS_FAILED\" ] && exit 1; fail 'Step 1: it'\\''s not done'; }");
    expect(wrapped).toContain('node_command()');
  });
});

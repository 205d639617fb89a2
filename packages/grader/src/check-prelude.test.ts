// The text piped to bash in a grader, run here by a local bash in a private mount namespace that
// stands in for the grader's (its own /run, a procfs at the node-view path): variables, helpers,
// the lab's shared library, then the author's script; the fail-closed rules of the helpers.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildCheckScript } from './check-prelude';

// Root is needed for the private mounts (CI runs as root); the mounts never leave this namespace.
const asRoot = process.getuid?.() === 0;
const GRADER_LIKE = 'mount -t tmpfs praxis-test /run && mkdir -p /run/praxis/nodeproc /run/netns && mount -t proc proc /run/praxis/nodeproc && exec bash --noprofile --norc -s';

function runCheck(script: string, opts: { lib?: string; variables?: Record<string, string>; after?: string } = {}) {
  const text = buildCheckScript('b', opts.variables ?? {}, script, opts.lib, { probe: '0a1b2c3d', port: 41234 }) + (opts.after ?? '');
  const r = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', GRADER_LIKE], { input: text, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.runIf(asRoot)('buildCheckScript', () => {
  it("runs the lab's library before the script, with the variables, the probe and the helpers defined", () => {
    const lib = 'need_var() { [ -n "$gateway" ] || fail "no gateway"; echo "lib sees $gateway on $PRAXIS_NODE"; }\ncd /tmp';
    const r = runCheck('need_var\npwd\necho "$PRAXIS_PROBE $PRAXIS_PROBE_PORT"\nfail "from the script"', { lib, variables: { gateway: '192.168.1.1' } });
    expect(r.stdout).toBe('lib sees 192.168.1.1 on b\n/\n0a1b2c3d 41234\nFAIL: from the script\n');
    expect(r.code).toBe(1);
  });

  it('runs the script alone when the lab has no library, with a writable scratch /tmp', () => {
    const r = runCheck('type need_var >/dev/null 2>&1 && echo defined; echo x > /tmp/f && cat /tmp/f; echo ok');
    expect(r.stdout).toBe('x\nok\n');
    expect(r.code).toBe(0);
  });

  it('fails the whole check on a fail anywhere: in a pipeline, in $(...), even when the script then exits 0', () => {
    const piped = runCheck('if fail "inside a pipeline" | grep -q x; then echo matched; fi\necho "went on"\nexit 0');
    expect(piped.stdout).toBe('FAIL: inside a pipeline\nwent on\n');
    expect(piped.code).toBe(1);
    const substituted = runCheck('v=$(fail "inside \\$()")\necho "v=$v"');
    expect(substituted.stdout).toBe('FAIL: inside $()\nv=\n');
    expect(substituted.code).toBe(1);
  });

  it('reads state fail-closed: a command that cannot run fails the check instead of matching nothing', () => {
    const r = runCheck('state out sh -c "echo partial; exit 3"\nif has forbidden "$out"; then fail "found it"; fi\necho "passed"');
    expect(r.stdout).toBe('FAIL: the grader could not read the state of b (sh exited with 3)\n');
    expect(r.code).toBe(1);
    const ok = runCheck('state out printf "a\\nforbidden line\\n"\nif has "^forbidden" "$out"; then fail "found it"; fi');
    expect(ok.stdout).toBe('FAIL: found it\n');
    // pipefail: a failing producer fails the pipeline.
    const pf = runCheck('false | cat && echo "pipeline passed"; echo done');
    expect(pf.stdout).toBe('done\n');
  });

  it('keeps pipefail from turning a match into a miss: grep -q and head read their input to the end', () => {
    // Without that, `seq` dies of SIGPIPE once grep has its match and the pipeline "fails".
    const r = runCheck(
      [
        'for i in 1 2 3 4 5; do seq 1 200000 | grep -q "^1$" || echo "positive failed"; done',
        'if seq 1 200000 | grep -qE "^5$"; then fail "negative caught"; fi',
      ].join('\n'),
    );
    expect(r.stdout).toBe('FAIL: negative caught\n');
    const h = runCheck('x=$(seq 1 200000 | head -n1) && echo "x=$x"\nprintf "a\\nb\\n" > /tmp/f; while read -r l; do head -n1 /tmp/f; grep -q a /tmp/f && echo "$l"; done < <(printf "1\\n2\\n")');
    expect(h.stdout).toBe('x=1\na\n1\na\n2\n');
  });

  it('waits at a barrier until the runner writes its name, and hides nothing else', () => {
    const r = runCheck('echo before\nbarrier probe\necho after', { after: 'probe\n' });
    expect(r.stdout).toBe('before\n::praxis-barrier probe\nafter\n');
    expect(r.code).toBe(0);
    // A wrong name is grader trouble (exit 125), never a pass.
    const wrong = runCheck('barrier probe\necho after', { after: 'other\n' });
    expect(wrong.code).toBe(125);
    expect(wrong.stderr).toContain('PRAXIS-ERROR: the runner released barrier "other", not "probe"');
  });

  it('lists rules of one table and chain in -S form, and the rules whose counters moved', () => {
    const saved = [
      '# backend nft',
      '*nat',
      ':PREROUTING ACCEPT [0:0]',
      ':POSTROUTING ACCEPT [3:180]',
      ':CNI-x - [0:0]',
      '[2:120] -A POSTROUTING -s 10.0.0.0/24 -j MASQUERADE',
      '[0:0] -A POSTROUTING -s 10.0.0.0/24 -o nope -j MASQUERADE',
      'COMMIT',
      '*filter',
      ':INPUT DROP [0:0]',
      '[5:300] -A INPUT -i lo -j ACCEPT',
      'COMMIT',
      '# backend legacy',
      '*nat',
      '[1:60] -A POSTROUTING -s 10.0.0.0/24 -j MASQUERADE',
      'COMMIT',
    ].join('\n');
    const script = `saved=$(cat <<'EOF'\n${saved}\nEOF\n)
echo "--- nat POSTROUTING"; praxis_rules_of nat POSTROUTING "" <<<"$saved"
echo "--- counters"; before=$(praxis_rules_of nat "" counters <<<"$saved"); printf '%s\\n' "$before"
after=$(sed 's/^\\[2:120\\]/[7:420]/; s/^\\[1:60\\]/[4:240]/' <<<"$saved" | praxis_rules_of nat "" counters)
echo "--- moved"; rules_moved "$before" "$after"`;
    const r = runCheck(script);
    expect(r.stdout).toBe(
      [
        '--- nat POSTROUTING',
        '-P POSTROUTING ACCEPT',
        '-A POSTROUTING -s 10.0.0.0/24 -j MASQUERADE',
        '-A POSTROUTING -s 10.0.0.0/24 -o nope -j MASQUERADE',
        '-A POSTROUTING -s 10.0.0.0/24 -j MASQUERADE',
        '--- counters',
        '2\t-A POSTROUTING -s 10.0.0.0/24 -j MASQUERADE',
        '0\t-A POSTROUTING -s 10.0.0.0/24 -o nope -j MASQUERADE',
        '1\t-A POSTROUTING -s 10.0.0.0/24 -j MASQUERADE',
        '--- moved',
        '5\t-A POSTROUTING -s 10.0.0.0/24 -j MASQUERADE',
        '3\t-A POSTROUTING -s 10.0.0.0/24 -j MASQUERADE',
        '',
      ].join('\n'),
    );
  });

  it('gives the probe filter for the run', () => {
    const r = runCheck('probe_icmp_filter; echo; probe_icmp_filter reply');
    expect(r.stdout).toBe('icmp[icmptype] == icmp-echo and icmp[24:4] == 0x0a1b2c3d\nicmp[icmptype] == icmp-echoreply and icmp[24:4] == 0x0a1b2c3d');
  });
});

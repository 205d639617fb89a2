// The check helpers on real nodes (docs/lab-format.md, "Where checks run"): names resolved as the
// node resolves them, packets captured where a probe arrives (two nodes meeting at barriers),
// cables followed to their peer's namespace whatever their numbers, addresses found in hidden
// namespaces, rule counters moved by a probe, the node's processes through nodeprocs only.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destroyInstance, type Instance } from '@praxis/sandbox';
import type { LabScript } from '@praxis/labs';
import { runScript, type GradeContext } from '../src';
import { destroyScope, docker, newScope, nodeShell, startLabInstance } from './helpers';

const scope = newScope('check-helpers');
const labDir = fileURLToPath(new URL('../../../labs/01-switching-routing', import.meta.url));
let instance: Instance;
let ctx: GradeContext;

const sh = nodeShell(() => instance.id);
const script = (node: string, text: string): LabScript => ({ nodes: [node], text, source: 'test' });

beforeAll(async () => {
  ({ instance, ctx } = await startLabInstance(labDir, scope));
});
afterAll(async () => {
  if (instance) await destroyInstance(docker, instance.id);
  await destroyScope(scope);
});

describe('the helpers read the node as it is', () => {
  it("resolves names with the node's own nsswitch.conf, hosts and resolv.conf, not the grader's", async () => {
    // The node no longer reads /etc/hosts for names; the grader's own nsswitch.conf still would.
    await sh('c', "echo '10.1.2.3 only-in-hosts' >> /etc/hosts && sed -i 's/^hosts:.*/hosts: dns/' /etc/nsswitch.conf");
    const run = await runScript(ctx, script('c', 'getent hosts only-in-hosts >/dev/null && echo grader-finds-it; node_getent hosts only-in-hosts; echo "node: $?"; node_resolve -s files only-in-hosts'));
    expect(run.nodes[0]!.stdout).toBe('grader-finds-it\nnode: 2\n10.1.2.3\n');
  });

  it('captures packets with tcpdump, and finds a probe by its pattern where it arrives (barriers across nodes)', async () => {
    await sh('a', 'ip route replace 192.168.2.0/24 via 192.168.1.6');
    await sh('c', 'ip route replace 192.168.1.0/24 via 192.168.2.6');
    await sh('b', 'sysctl -w net.ipv4.ip_forward=1');
    const text = [
      'case "$PRAXIS_NODE" in',
      '  c) pcap_start p -i eth0 "$(probe_icmp_filter) and ip[8] == 63"; barrier go; barrier done; pcap_stop p | grep -c "ICMP echo request" ;;',
      '  a) barrier go; probe_ping 192.168.2.5 || fail "no reply"; barrier done; tcpdump -c 1 -i lo -n 2>&1 >/dev/null & sleep 0.3; kill $! 2>/dev/null; echo ok ;;',
      'esac',
    ].join('\n');
    const run = await runScript(ctx, { nodes: ['c', 'a'], text, source: 'test' });
    expect(run.passed, JSON.stringify(run.nodes)).toBe(true);
    expect(run.nodes.find((n) => n.node === 'c')!.stdout.trim()).toBe('3');
    // No "Couldn't change to 'tcpdump' uid": tcpdump keeps running as root in the grader.
    expect(run.nodes.find((n) => n.node === 'a')!.stderr).not.toContain("Couldn't change");
    await sh('b', 'sysctl -w net.ipv4.ip_forward=0');
  });

  it('follows a cable to the namespace of its peer, whatever its number, and finds addresses hidden in namespaces', async () => {
    // A twin: the far end of "twin" in purple takes the number of c's own eth0.
    await sh(
      'c',
      'ip netns add purple && n=$(cat /sys/class/net/eth0/ifindex) && ip -n purple link add p index $n type veth peer name twin netns 1 && ' +
        'ip netns add kept && ip -n kept link set lo up && ip -n kept addr add 10.77.0.1/32 dev lo && ' +
        '(nsenter --net=/run/netns/kept setsid sleep 600 </dev/null >/dev/null 2>&1 &) && sleep 0.3 && ip netns del kept',
    );
    const run = await runScript(ctx, script('c', 'veth_peer twin; veth_peer -n purple p; veth_peer eth0; addr_holders 10.77.0.1; addr_holders 192.168.2.5'));
    const [twin, p, eth0, hidden, own] = run.nodes[0]!.stdout.trim().split('\n');
    expect(twin).toBe('purple p');
    expect(p).toBe('@node twin');
    expect(eth0).toMatch(/^\? if\d+$/); // the lab's own cable: its far end is outside the node
    expect(hidden).toMatch(/^pid:\d+$/); // kept alive by a process, no name left
    expect(own).toBe('@node');
  });

  it('lists rule counters of both backends and the rules a probe moved; sees the node\'s processes only through nodeprocs', async () => {
    await sh('c', 'iptables -A OUTPUT -d 192.168.2.6 -p icmp -j ACCEPT && iptables-legacy -A OUTPUT -d 192.168.2.6 -p icmp -j ACCEPT && (setsid sleep 321 </dev/null >/dev/null 2>&1 &)');
    const run = await runScript(
      ctx,
      script('c', 'b=$(rule_counters OUTPUT); ping -c 2 -i 0.2 -W 1 -q 192.168.2.6 >/dev/null; rules_moved "$b" "$(rule_counters OUTPUT)"; pgrep -fx "sleep 321" >/dev/null || echo "grader: no sleep"; nodeprocs pgrep -fx "sleep 321" >/dev/null && echo "nodeprocs: sleep"'),
    );
    expect(run.nodes[0]!.stdout).toBe(
      ['2\t-A OUTPUT -d 192.168.2.6/32 -p icmp -j ACCEPT', '2\t-A OUTPUT -d 192.168.2.6/32 -p icmp -j ACCEPT', 'grader: no sleep', 'nodeprocs: sleep', ''].join('\n'),
    );
  });
});


// The grader against a learner who is root on the node: faked binaries, files bind-mounted over
// /proc, symlinks aimed at the grader's own files, a killed grader, runaway checks. Every case
// runs on a real instance of the reference lab's topology.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destroyInstance, execInNode, type Instance } from '@praxis/sandbox';
import type { Lab, LabScript, TaskQuestion } from '@praxis/labs';
import { discardGraders, ensureGrader, findGraders, forgetGrader, gradeAttempt, gradeQuestion, runScript, type GradeContext } from '../src';
import { docker, newScope, nodeShell, startLabInstance } from './helpers';

const scope = newScope('grader');
const labDir = fileURLToPath(new URL('../../../labs/01-switching-routing', import.meta.url));
let lab: Lab;
let instance: Instance;
let ctx: GradeContext;

const sh = nodeShell(() => instance.id);
const script = (node: string, text: string, timeoutMs?: number): LabScript => ({ nodes: [node], text, source: 'test', ...(timeoutMs ? { timeoutMs } : {}) });
const task = (id: string) => lab.questions.find((q) => q.id === id) as TaskQuestion;

beforeAll(async () => {
  ({ lab, instance, ctx } = await startLabInstance(labDir, scope));
});
afterAll(async () => {
  if (instance) await destroyInstance(docker, instance.id);
});

describe('the grader does not trust the node', () => {
  it('reads the real routes when the node replaced /usr/sbin/ip with a liar', async () => {
    await sh('a', `printf '#!/bin/sh\\necho "default via 192.168.1.6 dev eth0"\\necho "192.168.2.0/24 via 192.168.1.6 dev eth0"\\n' > /usr/sbin/ip && chmod +x /usr/sbin/ip`);
    // The learner's own view is the fake...
    expect(await sh('a', 'ip route')).toContain('192.168.2.0/24 via 192.168.1.6');
    // ...the grader's is the kernel's, and the task is not awarded.
    const run = await runScript(ctx, script('a', 'ip route'));
    expect(run.nodes[0]!.stdout).not.toContain('192.168.2.0/24');
    expect(run.nodes[0]!.stdout).toContain('192.168.1.0/24 dev eth0');
    const result = await gradeQuestion(ctx, task('route-on-a'), undefined);
    expect(result.passed).toBe(false);
    expect(result.points).toBe(0);
    expect(result.reason).toMatch(/^A has no route to 192\.168\.2\.0\/24/);
  });

  it('reads the real ip_forward when the node bind-mounted a fake one over /proc/sys', async () => {
    await sh('b', 'echo 1 > /tmp/one && mount --bind /tmp/one /proc/sys/net/ipv4/ip_forward && cat /usr/bin/true > /usr/sbin/sysctl');
    expect((await sh('b', 'cat /proc/sys/net/ipv4/ip_forward')).trim()).toBe('1');
    const result = await gradeQuestion(ctx, task('enable-forwarding'), undefined);
    expect(result.passed).toBe(false);
    expect(result.reason).toBe('IPv4 forwarding is off on B (net.ipv4.ip_forward = 0)');
  });

  it("reads the node's files, with absolute symlinks resolved inside the node", async () => {
    // An absolute symlink followed naively through /proc/1/root would land in the grader's own
    // /etc/debian_version; nodefile must return the node's (edited) file.
    await sh('b', 'echo learner-edited > /etc/debian_version && ln -sf /etc/debian_version /etc/link-test');
    const run = await runScript(ctx, script('b', 'nodefile /etc/link-test; echo "---"; cat /etc/debian_version'));
    const [node, grader] = run.nodes[0]!.stdout.split('---\n');
    expect(node!.trim()).toBe('learner-edited');
    expect(grader!.trim()).not.toBe('learner-edited');
    // The persistence check reads the file the learner really wrote, not a comment-only default.
    await sh('b', "sed -i 's/^#net.ipv4.ip_forward=1/net.ipv4.ip_forward=1/' /etc/sysctl.conf");
    expect((await gradeQuestion(ctx, task('persist-forwarding'), undefined)).passed).toBe(true);
    await sh('b', "sed -i 's/^net.ipv4.ip_forward=1/net.ipv4.ip_forward=0/' /etc/sysctl.conf");
    const again = await gradeQuestion(ctx, task('persist-forwarding'), undefined);
    expect(again.passed).toBe(false);
    expect(again.reason).toBe('/etc/sysctl.conf on B sets net.ipv4.ip_forward = 0');
  });

  it('enters a network namespace the learner made, with its own binaries', async () => {
    await sh('c', 'ip netns add red && ip -n red link set lo up && ip -n red addr add 192.168.15.1/24 dev lo');
    const run = await runScript(ctx, script('c', 'innetns red ip -4 -o addr show dev lo'));
    expect(run.passed).toBe(true);
    expect(run.nodes[0]!.stdout).toContain('192.168.15.1/24');
    const missing = await runScript(ctx, script('c', 'innetns blue ip addr'));
    expect(missing.passed).toBe(false);
    expect(missing.nodes[0]!.failures).toEqual(['there is no network namespace "blue" on c']);
  });

  it('lists iptables rules of both backends, so a learner using iptables-legacy is graded on the real rules', async () => {
    await sh('c', 'iptables-legacy -t nat -A POSTROUTING -s 10.99.1.0/24 -j MASQUERADE && iptables-nft -t nat -A POSTROUTING -s 10.99.2.0/24 -j MASQUERADE');
    const plain = await runScript(ctx, script('c', 'iptables -t nat -S POSTROUTING'));
    expect(plain.nodes[0]!.stdout).not.toContain('10.99.1.0/24');
    const both = await runScript(ctx, script('c', 'iptables_rules -t nat POSTROUTING | grep -- "-j MASQUERADE"'));
    expect(both.nodes[0]!.stdout.trim().split('\n')).toEqual(['-A POSTROUTING -s 10.99.2.0/24 -j MASQUERADE', '-A POSTROUTING -s 10.99.1.0/24 -j MASQUERADE']);
    // A direct iptables-legacy call works too (its lock file is on the grader's writable /dev/shm).
    const legacy = await runScript(ctx, script('c', 'iptables-legacy -t nat -S POSTROUTING'));
    expect(legacy.nodes[0]!.stdout).toContain('-A POSTROUTING -s 10.99.1.0/24 -j MASQUERADE');
    await sh('c', 'iptables-legacy -t nat -F POSTROUTING && iptables-nft -t nat -D POSTROUTING -s 10.99.2.0/24 -j MASQUERADE');
  });

  it('cannot be written to, and hides a running check from the node', async () => {
    const write = await runScript(ctx, script('a', 'touch /usr/sbin/ip 2>&1 || echo read-only'));
    expect(write.nodes[0]!.stdout).toContain('read-only');
    // While a check runs, the node does not even see its processes: the grader has a pid
    // namespace of its own. (From the host, `docker top` does.)
    const slow = runScript(ctx, script('a', 'sleep 6; echo done'));
    // Wait until the grader really runs the sleep (from the host, `docker top` sees it; on a busy
    // machine the check's prelude can take more than a second), then look from the node.
    const grader = (await findGraders(docker, instance.id, 'a'))[0]!;
    const graderSees = async () => (await docker.getContainer(grader.Id).top({ ps_args: '-o pid,user,args' })).Processes.some((p: string[]) => p.at(-1) === 'sleep 6');
    await expect.poll(graderSees, { timeout: 5_000, interval: 100 }).toBe(true);
    const probe = await execInNode(docker, instance.id, 'a', ['sh', '-c', 'pgrep -fx "sleep 6" || echo none']);
    expect(probe.stdout.trim()).toBe('none');
    expect((await slow).passed).toBe(true);
  });

  it('re-creates a grader that is gone, and grades on the real state again', async () => {
    const first = await ensureGrader(docker, instance.id, 'a');
    // Removed behind the grader's back (an operator, a crash): the next check makes a new one.
    await docker.getContainer(first).remove({ force: true });
    const result = await gradeQuestion(ctx, task('route-on-a'), undefined);
    expect(result.passed).toBe(false);
    expect(result.error).toBeUndefined();
    const now = await findGraders(docker, instance.id, 'a');
    expect(now.map((g) => g.State)).toEqual(['running']);
    expect(now[0]!.Id).not.toBe(first);
  });

  it('fails clearly, never passes, when a node cannot be checked', async () => {
    const result = await gradeQuestion(ctx, { ...task('route-on-a'), check: script('ghost', 'exit 0') }, undefined);
    expect(result.passed).toBe(false);
    expect(result.error?.code).toBe('NODE_NOT_FOUND');
    expect(result.reason).toContain('could not be checked');
  });

  it('stops a check at its time limit and bounds its output', async () => {
    const t0 = performance.now();
    const slow = await runScript(ctx, script('a', 'echo started; sleep 30; exit 0', 1000));
    expect(slow.passed).toBe(false);
    expect(slow.nodes[0]!.timedOut).toBe(true);
    expect(slow.nodes[0]!.failures).toContain('The check did not finish within 1 s.');
    expect(performance.now() - t0).toBeLessThan(6000);
    const noisy = await runScript({ ...ctx, maxOutputBytes: 4096 }, script('a', 'head -c 1000000 /dev/zero | tr "\\0" x; exit 0'));
    expect(noisy.passed).toBe(true);
    expect(noisy.nodes[0]!.stdout.length).toBeLessThan(4200);
  });

  it('runs the whole script even when a command in it reads stdin', async () => {
    const run = await runScript(ctx, script('a', 'cat\nread -r line || echo "stdin is empty"\nfail "reached the end"'));
    expect(run.passed).toBe(false);
    expect(run.nodes[0]!.stdout).toContain('stdin is empty');
    expect(run.nodes[0]!.failures).toEqual(['reached the end']);
  });

  it('carries the instance label, so destroyInstance removes the graders', async () => {
    const graders = await docker.listContainers({ all: true, filters: { label: [`praxis.instance=${instance.id}`, 'praxis.role=grader'] } });
    expect(graders.length).toBeGreaterThanOrEqual(3);
    expect(graders.every((g) => g.Labels['praxis.scope'] === scope)).toBe(true);
    const info = await docker.getContainer(graders[0]!.Id).inspect();
    expect(info.HostConfig.ReadonlyRootfs).toBe(true);
    // Its own pid namespace (the node cannot see its processes), the node's network namespace.
    expect(info.HostConfig.PidMode ?? '').toBe('');
    expect(info.HostConfig.NetworkMode).toMatch(/^container:/);
    // A name no node can have (node names have no dot); found by labels all the same.
    expect(info.Name).toMatch(/^\/praxis-px[0-9a-f]{10}-[a-c]\.grader$/);
  });
});

describe('graders made by several API processes', () => {
  it('two processes starting the same node\'s grader at once share one, and neither fails', async () => {
    for (let round = 0; round < 3; round++) {
      await discardGraders(docker, instance.id, 'a');
      // Two processes: each has its own memory of graders (forgetGrader makes the second call
      // start afresh, as another process would) and both reach Docker at the same moment.
      const first = ensureGrader(docker, instance.id, 'a');
      forgetGrader(instance.id, 'a');
      const second = ensureGrader(docker, instance.id, 'a');
      const [x, y] = await Promise.all([first, second]);
      expect(y).toBe(x);
      const live = (await findGraders(docker, instance.id, 'a')).filter((g) => g.State === 'running');
      expect(live.map((g) => g.Id)).toEqual([x]);
      // And it really sees the node: the node's own processes, through its procfs view.
      const run = await runScript(ctx, script('a', 'ls /run/praxis/nodeproc/1/ns/pid >/dev/null && echo seen'));
      expect(run.nodes[0]!.stdout.trim()).toBe('seen');
    }
  });
});

describe("checks through the grader's agent (one exec per grader, not per check)", () => {
  const agents = async (node: string) => {
    const grader = (await findGraders(docker, instance.id, node)).find((g) => g.State === 'running')!;
    const top = await docker.getContainer(grader.Id).top({ ps_args: '-o pid,args' });
    return top.Processes.filter((p: string[]) => p.at(-1)!.startsWith('bash --noprofile --norc -c')).length;
  };

  it('runs many checks at once in one grader, each with its own output and exit status, and starts no exec for them', async () => {
    await runScript(ctx, script('b', 'true'));
    expect(await agents('b')).toBe(1);
    // Twelve at once, each printing 150 lines, a 5000-byte line, stderr and no final newline.
    const runs = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        runScript(ctx, script('b', `for j in $(seq 1 150); do echo "run-${i}-line-$j"; done; head -c 5000 /dev/zero | tr '\\0' ${'abcdefghijkl'[i]}; echo; echo "err-${i}" >&2; printf 'last-${i}'; exit ${i % 3}`)),
      ),
    );
    runs.forEach((run, i) => {
      const node = run.nodes[0]!;
      const lines = node.stdout.split('\n');
      expect(lines.slice(0, 150)).toEqual(Array.from({ length: 150 }, (_, j) => `run-${i}-line-${j + 1}`));
      // A line is relayed whole up to 3000 bytes (so lines of checks running at once never mix).
      expect(lines[150]).toBe('abcdefghijkl'[i]!.repeat(3000));
      expect(lines[151]).toBe(`last-${i}`);
      expect(lines).toHaveLength(152);
      expect(node.stderr).toBe(`err-${i}\n`);
      expect(node.exitCode).toBe(i % 3);
      expect(node.passed).toBe(i % 3 === 0);
    });
    // Still the one agent: no check started a process of its own through the engine.
    expect(await agents('b')).toBe(1);
  });

  it('ends a check whose background process still holds its output, and leaves nothing running', async () => {
    const t0 = performance.now();
    const run = await runScript(ctx, script('b', 'sleep 120 & echo left-behind; exit 0', 10_000));
    expect(run.passed).toBe(true);
    expect(run.nodes[0]!.stdout).toBe('left-behind\n');
    expect(performance.now() - t0).toBeLessThan(5000);
    const grader = (await findGraders(docker, instance.id, 'b')).find((g) => g.State === 'running')!;
    const top = await docker.getContainer(grader.Id).top({ ps_args: '-o pid,args' });
    expect(top.Processes.some((p: string[]) => p.at(-1) === 'sleep 120')).toBe(false);
  });

  it('says the node could not be checked when its grader is removed during a check, and works again after', async () => {
    const slow = runScript(ctx, script('b', 'sleep 8; exit 0'));
    const grader = (await findGraders(docker, instance.id, 'b')).find((g) => g.State === 'running')!;
    const graderRuns = async () => (await docker.getContainer(grader.Id).top({ ps_args: '-o pid,args' })).Processes.some((p: string[]) => p.at(-1) === 'sleep 8');
    await expect.poll(graderRuns, { timeout: 5_000, interval: 100 }).toBe(true);
    await docker.getContainer(grader.Id).remove({ force: true });
    const broken = (await slow).nodes[0]!;
    expect(broken.passed).toBe(false);
    expect(broken.error?.code).toBe('GRADER_UNAVAILABLE');
    expect(broken.failures).toEqual(['Node b could not be checked right now; try again in a moment.']);
    const again = await runScript(ctx, script('b', 'echo back'));
    expect(again.nodes[0]!.stdout).toBe('back\n');
  });
});

describe('grading an attempt', () => {
  it('grades every question in parallel, the same way twice (idempotent)', async () => {
    const submissions = {
      'list-interfaces': ['a'],
      'address-of-a': '192.168.1.5',
      'router-mac': '02-42-C0-A8-01-06',
      'second-network-interface': 'ETH1',
      'why-no-reply': ['forward'],
      'forwarding-file': 'net.ipv4.ip_forward',
    };
    const first = await gradeAttempt(ctx, lab, submissions);
    const second = await gradeAttempt(ctx, lab, submissions);
    const summary = (r: typeof first) => r.results.map((q) => `${q.questionId}:${q.passed}`);
    expect(summary(second)).toEqual(summary(first));
    const byId = Object.fromEntries(first.results.map((r) => [r.questionId, r]));
    expect(byId['address-of-a']!.passed).toBe(true);
    expect(byId['router-mac']!.passed).toBe(true);
    expect(byId['second-network-interface']!.passed).toBe(true);
    expect(byId['forwarding-file']!.passed).toBe(true);
    expect(byId['why-no-reply']!.passed).toBe(false); // only one of the two correct options
    expect(byId['a-reaches-c']!.passed).toBe(false);
    expect(byId['a-reaches-c']!.raw.run?.nodes.map((n) => n.node)).toEqual(['a', 'c']);
    expect(first.maxScore).toBe(lab.maxPoints);
    expect(first.score).toBe(['list-interfaces', 'address-of-a', 'router-mac', 'second-network-interface', 'forwarding-file'].reduce((s, id) => s + byId[id]!.maxPoints, 0));
  });
});

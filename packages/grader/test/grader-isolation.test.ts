// A learner cannot touch a running check: from the node, a loop that SIGKILLs and SIGSTOPs every
// process it can name runs while checks run again and again, and every grade stays right. Under
// --userns-remap the node's root and the grader's are the same host uid (so the kernel's kill()
// permission check would let the signal through); only the grader's own pid namespace stops it,
// which this file shows too. And a node named like another node's grader never gets to grade.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance, destroyInstance, execInNode, hasUsernsRemap, type Instance } from '@praxis/sandbox';
import type { Lab, LabScript, TaskQuestion } from '@praxis/labs';
import { findGraders, gradeQuestion, runScript, type GradeContext } from '../src';
import { destroyScope, docker, newScope, startLabInstance } from './helpers';

const scope = newScope('grader-isolation');
const labDir = fileURLToPath(new URL('../../../labs/01-switching-routing', import.meta.url));
const script = (node: string, text: string): LabScript => ({ nodes: [node], text, source: 'test' });

afterAll(() => destroyScope(scope));

describe('a learner who kills from the node', () => {
  let lab: Lab;
  let instance: Instance;
  let ctx: GradeContext;
  const task = (id: string) => lab.questions.find((q) => q.id === id) as TaskQuestion;
  const sh = (node: string, line: string) => execInNode(docker, instance.id, node, ['sh', '-c', line], { timeoutMs: 20_000 });

  beforeAll(async () => {
    ({ lab, instance, ctx } = await startLabInstance(labDir, scope));
    // A routes C's network through B (a passing check) and holds C's address (a failing negative one).
    expect((await sh('a', 'ip route replace 192.168.2.0/24 via 192.168.1.6 && ip addr add 192.168.2.5/32 dev lo')).exitCode).toBe(0);
    // The same uid on the host for the node's root and the grader's: kill() would be allowed by uid.
    await runScript(ctx, script('a', 'true'));
    const grader = (await findGraders(docker, instance.id, 'a'))[0]!;
    const users = async (id: string) => (await docker.getContainer(id).top({ ps_args: '-o pid,user' })).Processes.map((p: string[]) => p[1]);
    const nodeUsers = await users(instance.nodes.find((n) => n.name === 'a')!.containerId);
    const graderUsers = await users(grader.Id);
    if (await hasUsernsRemap(docker)) {
      expect(nodeUsers[0]).not.toBe('root');
      expect(new Set([...nodeUsers, ...graderUsers])).toEqual(new Set([nodeUsers[0]]));
    }
    // The loop: SIGSTOP to the shells of a check, SIGKILL to its greps and ips (killing the grep of
    // a negative check is what turned one into a pass, 15 of 30 tries, with the grader in the
    // node's pid namespace), counting its rounds in a file the grader reads.
    const loop = `setsid sh -c 'i=0; while :; do pkill -STOP -x "bash|timeout|unshare"; pkill -KILL -x "grep|ip|awk|cat|nsenter|jq"; i=$((i + 1)); echo $i > /tmp/rounds; done' </dev/null >/dev/null 2>&1 &`;
    expect((await sh('a', loop)).exitCode).toBe(0);
  });
  afterAll(async () => {
    if (instance) await destroyInstance(docker, instance.id);
  });

  it('keeps every grade right while the loop runs', async () => {
    // The loop rewrites the file each round: read until a read lands between two rewrites.
    const rounds = async () => {
      for (let i = 0; i < 20; i++) {
        const n = Number((await runScript(ctx, script('a', 'nodefile /tmp/rounds'))).nodes[0]!.stdout.trim());
        if (n > 0) return n;
      }
      return 0;
    };
    const before = await rounds();
    // A negative check in the form that was vulnerable (the grep that would find the address is
    // the process a killer aims at), a lab check with a negative part, and a passing check.
    const naive = script('a', 'if ip -4 -o addr show | grep -q " 192\\.168\\.2\\."; then fail "A holds an address of C\'s network"; fi');
    // And a passing check of the same naive form: a killed grep would fail it.
    const route = script('a', 'ip -4 route show 192.168.2.0/24 | grep -q "via 192.168.1.6" || fail "A has no route through B"');
    const verdicts: string[] = [];
    for (let i = 0; i < 12; i++) {
      const [n, ac, r] = await Promise.all([runScript(ctx, naive), gradeQuestion(ctx, task('a-reaches-c'), undefined), runScript(ctx, route)]);
      verdicts.push(`${n.passed}/${ac.passed}/${r.passed}`);
      expect(n.nodes[0]!.failures, JSON.stringify(n.nodes[0])).toEqual(["A holds an address of C's network"]);
      expect(ac.reason).toContain('A holds an address in 192.168.2.0/24');
    }
    expect(verdicts).toEqual(Array(12).fill('false/false/true'));
    // The loop really ran the whole time (and the node still sees no grader process to kill).
    const after = await rounds();
    expect(after).toBeGreaterThan(before + 50);
    console.log(`kill loop: ${after - before} rounds of SIGSTOP/SIGKILL from the node during 36 gradings, every grade right`);
  }, 240_000);
});

describe('a node named like a grader', () => {
  it('is never used as the grader of the node it imitates', async () => {
    const impostor: Instance = await createInstance(
      docker,
      {
        nodes: [{ name: 'a' }, { name: 'a-grader', setup: 'touch /i-am-the-node-a-grader' }],
        segments: [{ name: 'lan' }],
        links: [
          { node: 'a', segment: 'lan', address: '192.168.1.5/24' },
          { node: 'a-grader', segment: 'lan', address: '192.168.1.99/24' },
        ],
      },
      { scope, owner: 'grader-test' },
    );
    try {
      const ctx: GradeContext = { docker, instanceId: impostor.id, variables: {} };
      const run = await runScript(ctx, script('a', '[ -e /i-am-the-node-a-grader ] && echo impostor; ip -4 -o addr show dev eth0'));
      expect(run.nodes[0]!.stdout).toContain('192.168.1.5/24');
      expect(run.nodes[0]!.stdout).not.toContain('impostor');
      const graders = await findGraders(docker, impostor.id, 'a');
      expect(graders.map((g) => g.Names[0])).toEqual([`/praxis-${impostor.id}-a.grader`]);
    } finally {
      await destroyInstance(docker, impostor.id);
    }
  });
});

// Isolation benchmark: each way one learner hurt others (issue 10), run as an attack from a node
// of one instance while a second instance (the victim) works, with figures: kernel memory grown
// (the host's SUnreclaim, MiB), the victim's lost probes, what the kernel kept (learned MACs,
// conntrack entries, namespaces), the disk a node could fill, the CPU slowdown of a quiet
// instance, and whether a node survives its init. Uses only the sandbox's public API and the
// fabric container, so the same file measures an older Praxis ("before") as well.
//
// BENCH_ATTACKS=mac,neigh,conntrack,ra,disk,cpu,init (default: all). Last line:
// isolation: <attack>=<figure>... and the exit code is 1 when a target is missed.
import { randomBytes } from 'node:crypto';
import { createDockerClient, createInstance, destroyInstance, destroyScopeInstances, execInContainer, type Instance } from '@praxis/sandbox';
import { percentile } from './percentile';

const docker = createDockerClient({ host: process.env.DOCKER_HOST });
const scope = `bench-iso-${randomBytes(3).toString('hex')}`;
const ATTACKS = (process.env.BENCH_ATTACKS ?? 'mac,neigh,conntrack,ra,disk,cpu,init').split(',');
const SECONDS = Number(process.env.BENCH_ATTACK_SECONDS ?? 10);

const pair = {
  nodes: [{ name: 'a' }, { name: 'b' }],
  segments: [{ name: 'lan' }],
  links: [
    { node: 'a', segment: 'lan', address: '10.1.0.1/16' },
    { node: 'b', segment: 'lan', address: '10.1.0.2/16' },
  ],
};
const trio = { nodes: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] };

interface Row {
  attack: string;
  figure: string;
  target: string;
  met: boolean;
  detail: string;
}
const rows: Row[] = [];

const node = (i: Instance, n: string) => i.nodes.find((x) => x.name === n)!.containerId;
/** Runs a shell script (on stdin, so it needs no quoting) in a node. */
async function sh(i: Instance, n: string, script: string, timeoutMs = 120_000) {
  return execInContainer(docker, node(i, n), ['sh', '-s'], { stdin: script, timeoutMs });
}
async function fabric(script: string, timeoutMs = 60_000) {
  return execInContainer(docker, 'praxis-fabric', ['sh', '-c', script], { timeoutMs });
}
async function unreclaimableMiB(): Promise<number> {
  const r = await fabric("awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo");
  return Math.round(Number(r.stdout.trim()) / 1024);
}

/** Samples SUnreclaim every 250 ms until stopped; returns start and peak (MiB). */
function sampleMemory() {
  let peak = 0;
  let start = 0;
  let stop = false;
  const done = (async () => {
    start = await unreclaimableMiB();
    peak = start;
    while (!stop) {
      peak = Math.max(peak, await unreclaimableMiB());
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return async () => {
    stop = true;
    await done;
    return { start, peak, grown: peak - start };
  };
}

/** The victim resolves its peer afresh every 100 ms (neighbour cache flushed) and pings it. */
function victimProbes(victim: Instance, seconds: number): Promise<{ sent: number; lost: number }> {
  const n = seconds * 8;
  return sh(
    victim,
    'a',
    `ok=0; bad=0; for i in $(seq 1 ${n}); do ip neigh flush dev eth0; if ping -c1 -W1 10.1.0.2 >/dev/null 2>&1; then ok=$((ok+1)); else bad=$((bad+1)); fi; sleep 0.1; done; echo "$ok $bad"`,
    (seconds + 60) * 1000,
  ).then((r) => {
    const [ok, bad] = r.stdout.trim().split(' ').map(Number);
    return { sent: ok! + bad!, lost: bad! };
  });
}

/** Optional: the API's kernel watchdog (absent in older Praxis), run against this scope. */
async function startWatchdog(onStop: (instanceId: string, reason: string) => void) {
  const mod = await import('../apps/api/src/services/watchdog/kernel-watchdog').catch(() => undefined);
  if (!mod) return undefined;
  const quiet = { info() {}, warn() {}, error() {} };
  const w = new mod.KernelWatchdog({
    docker,
    scope,
    intervalMs: 2000,
    censusEveryMs: 2000,
    log: quiet,
    stop: async (o) => {
      onStop(o.instanceId, o.reason);
      await destroyInstance(docker, o.instanceId);
    },
  });
  w.start();
  return w;
}

async function attack(name: string, victim: Instance, run: (attacker: Instance) => Promise<Omit<Row, 'attack'>>) {
  if (!ATTACKS.includes(name)) return;
  const attacker = await createInstance(docker, pair, { scope, owner: 'bench-attacker' });
  try {
    const row = { attack: name, ...(await run(attacker)) };
    rows.push(row);
    console.log(`${row.met ? 'ok  ' : 'MISS'} ${name.padEnd(10)} ${row.figure}  (target: ${row.target}) ${row.detail}`);
  } finally {
    await destroyInstance(docker, attacker.id);
  }
}

/** Floods while the victim probes and the watchdog (if any) watches. */
async function flood(victim: Instance, attacker: Instance, script: string) {
  let stoppedAfter: number | undefined;
  const t0 = performance.now();
  const watchdog = await startWatchdog((id) => {
    if (id === attacker.id) stoppedAfter ??= (performance.now() - t0) / 1000;
  });
  const memory = sampleMemory();
  const probes = victimProbes(victim, SECONDS);
  const out = await sh(attacker, 'a', script, (SECONDS + 60) * 1000).catch((e: Error) => ({ stdout: '', stderr: e.message, exitCode: -1 }));
  const [victimResult] = await Promise.all([probes]);
  await watchdog?.stop();
  const mem = await memory();
  return { out, victim: victimResult, mem, stoppedAfter, watchdog: Boolean(watchdog) };
}

/** A shell line that writes a perl program to `file` (a here-document: no quoting) and runs it. */
const perl = (body: string, file = '/tmp/attack.pl', prefix = '') =>
  `cat > ${file} <<'PERL_EOF'\nuse Socket;\n${body.trim()}\nPERL_EOF\n${prefix}perl ${file}`;

async function main() {
  console.log(`isolation benchmark on ${process.env.DOCKER_HOST ?? 'the local engine'}: attacks ${ATTACKS.join(', ')}, ${SECONDS} s each\n`);
  const victim = await createInstance(docker, pair, { scope, owner: 'bench-victim' });
  const baseline = await victimProbes(victim, 2);
  console.log(`victim baseline: ${baseline.lost}/${baseline.sent} probes lost`);

  await attack('mac', victim, async (attacker) => {
    // Frames with made-up source MACs out of eth0 (AF_PACKET): every one a new forwarding entry
    // for a bridge that learns.
    const script = perl(`
      socket(my $s, 17, 3, 0) or die "socket: $!";
      open(my $f, "<", "/sys/class/net/eth0/ifindex") or die; my $if = <$f> + 0;
      my $to = pack("S n i S C C a8", 17, 0x88b5, $if, 0, 0, 6, "\\xff" x 6);
      my ($n, $end) = (0, time + ${SECONDS});
      while (time < $end) { for (1 .. 500) {
        my $frame = ("\\xff" x 6) . pack("C6", 2, map { int rand 256 } 1 .. 5) . pack("n", 0x88b5) . ("\\0" x 46);
        send($s, $frame, 0, $to) and $n++ } }
      print "$n\\n";`);
    const r = await flood(victim, attacker, script);
    const fdb = await fabric(`bridge -n ${attacker.id} fdb show 2>/dev/null | grep -cv -e permanent -e static`, 300_000).catch(() => undefined);
    const learned = Number(fdb?.stdout.trim() || 0);
    return {
      figure: `${r.mem.grown} MiB, ${learned} MACs learned, victim lost ${r.victim.lost}/${r.victim.sent}`,
      target: 'no MAC learned, victim loses nothing',
      met: learned === 0 && r.victim.lost <= baseline.lost,
      detail: `(${Number(r.out.stdout.trim()).toLocaleString('en-US')} frames sent)`,
    };
  });

  await attack('neigh', victim, async (attacker) => {
    // UDP to every address of a /10: one neighbour entry each, in the host's one table.
    const script = `ip addr add 10.64.0.1/10 dev eth0\n${perl(`
      my ($n, $i, $s, $end) = (0, 2, undef, time + ${SECONDS});
      while (time < $end) { socket($s, PF_INET, SOCK_DGRAM, 0) or die "socket: $!";
        for (1 .. 100) { send($s, "x", MSG_DONTWAIT, pack_sockaddr_in(9, pack("N", (10 << 24) | (64 << 16) + $i++))) and $n++ }
        close($s) }
      print "$n\\n";`)}`;
    const r = await flood(victim, attacker, script);
    const lossPct = (100 * r.victim.lost) / Math.max(1, r.victim.sent);
    return {
      figure: `${r.mem.grown} MiB, victim lost ${r.victim.lost}/${r.victim.sent} (${lossPct.toFixed(1)} %)${r.stoppedAfter ? `, stopped after ${r.stoppedAfter.toFixed(1)} s` : ''}`,
      target: 'victim loses at most 10 % while the flood runs, the flooding instance is stopped within 10 s',
      met: lossPct <= 10 && r.stoppedAfter !== undefined && r.stoppedAfter <= 10,
      detail: `(${r.out.stdout.trim() || r.out.stderr.trim().slice(0, 80)} addresses${r.watchdog ? '' : ', no watchdog'})`,
    };
  });

  await attack('conntrack', victim, async (attacker) => {
    // As many namespaces as the node may make, each tracking 60,000 UDP "connections".
    const script = [
      perl('socket(my $s, PF_INET, SOCK_DGRAM, 0) or die; for my $a (1 .. 2) { for my $p (1 .. 30000) { send($s, "x", MSG_DONTWAIT, pack_sockaddr_in($p, inet_aton("127.0.1.$a"))) } }', '/tmp/ct.pl', ': '),
      'for i in $(seq 1 60); do',
      '  ip netns add ct$i 2>/dev/null || break',
      '  echo "made $i"',
      '  ip netns exec ct$i sh -c "ip link set lo up; iptables -A OUTPUT -m conntrack --ctstate NEW -j ACCEPT; perl /tmp/ct.pl"',
      'done',
    ].join('\n');
    const r = await flood(victim, attacker, script);
    const made = Math.max(0, ...[...r.out.stdout.matchAll(/^made (\d+)$/gm)].map((m) => Number(m[1])));
    return {
      figure: `${r.mem.grown} MiB, ${made} namespaces made${r.stoppedAfter ? `, stopped after ${r.stoppedAfter.toFixed(1)} s` : ''}`,
      target: 'at most 32 namespaces per node and 512 MiB, the instance stopped',
      met: made <= 32 && r.mem.grown <= 512 && r.stoppedAfter !== undefined,
      detail: `(victim lost ${r.victim.lost}/${r.victim.sent})`,
    };
  });

  await attack('ra', victim, async (attacker) => {
    // One router advertisement (prefix 2001:db8:1::/64, a documentation prefix) to all nodes.
    const script = perl(`
      use Socket qw(inet_pton AF_INET6);
      socket(my $s, AF_INET6, SOCK_RAW, 58) or die "socket: $!";
      setsockopt($s, 41, 18, pack("i", 255)) or die "hops: $!";    # IPV6_MULTICAST_HOPS
      open(my $f, "<", "/sys/class/net/eth0/ifindex") or die; my $if = <$f> + 0;
      setsockopt($s, 41, 17, pack("i", $if)) or die "if: $!";      # IPV6_MULTICAST_IF
      my $ra = pack("C C n C C n N N", 134, 0, 0, 64, 0, 1800, 0, 0)
        . pack("C C C C N N N", 3, 4, 64, 0xc0, 86400, 14400, 0) . inet_pton(AF_INET6, "2001:db8:1::");
      my $to = pack("S n N a16 L", 10, 0, 0, inet_pton(AF_INET6, "ff02::1"), $if);
      for (1 .. 3) { send($s, $ra, 0, $to) or die "send: $!"; select(undef, undef, undef, 0.3) }
      print "sent\\n";`);
    // Docker starts nodes with IPv6 off; the learner turns it on (/proc/sys/net is theirs).
    const out = await sh(attacker, 'a', `for f in all default eth0; do echo 0 > /proc/sys/net/ipv6/conf/$f/disable_ipv6; done; sleep 3\n${script}`);
    await new Promise((r) => setTimeout(r, 3000));
    const ns = await fabric(`ip -n ${attacker.id} -6 addr show scope global; ip -n ${attacker.id} -6 route show default`);
    const leaked = ns.stdout.trim();
    return {
      figure: leaked ? `the fabric namespace took it: ${leaked.split('\n').filter((l) => /inet6|default/.test(l)).map((l) => l.trim().split(' ').slice(0, 3).join(' ')).join('; ')}` : 'no IPv6 address or route in the fabric namespace',
      target: 'no IPv6 address or route',
      met: leaked === '',
      detail: `(${out.stdout.trim() || out.stderr.trim()})`,
    };
  });

  await attack('disk', victim, async (attacker) => {
    const r = await sh(attacker, 'a', 'msg=$(fallocate -l 2G /big 2>&1); echo "rc=$?"; echo "msg=$msg"; echo "mb=$(du -m /big 2>/dev/null | cut -f1)"; rm -f /big', 120_000);
    const field = (k: string) => new RegExp(`^${k}=(.*)$`, 'm').exec(r.stdout)?.[1] ?? '';
    const [rc, message, mb] = [field('rc'), field('msg'), field('mb') || '0'];
    const refused = /no space|quota/i.test(message);
    return {
      figure: refused ? `refused: "${message.replace(/^fallocate: /, '')}"` : `${mb} MiB written`,
      target: 'fallocate -l 2G fails with no space / quota exceeded',
      met: refused && rc !== '0',
      detail: '',
    };
  });

  if (ATTACKS.includes('cpu')) {
    // p50 of `true` exec'd in a quiet instance, alone and with two instances spinning every node.
    const quiet = await createInstance(docker, { nodes: [{ name: 'a' }] }, { scope, owner: 'bench-quiet' });
    const execP50 = async () => {
      const s: number[] = [];
      for (let i = 0; i < 30; i++) {
        const t = performance.now();
        await execInContainer(docker, quiet.nodes[0]!.containerId, ['true']);
        s.push(performance.now() - t);
      }
      return percentile(s, 50);
    };
    await execP50();
    const alone = await execP50();
    const spinners = await Promise.all([0, 1].map(() => createInstance(docker, trio, { scope, owner: 'bench-spin' })));
    // The API's demotion of CPU hogs (absent in older Praxis), every 2 s as the server runs it.
    const hogsModule = await import('../apps/api/src/services/watchdog/cpu-hogs').catch(() => undefined);
    const hogs = hogsModule ? new hogsModule.CpuHogs({ docker, scope, log: { info() {} } }) : undefined;
    let hogRound: Promise<unknown> | undefined;
    const hogTimer = setInterval(() => (hogRound = hogs?.round().catch(() => undefined)), 2000);
    for (const inst of spinners) for (const n of inst.nodes) await sh(inst, n.name, 'for i in 1 2 3 4; do setsid sh -c "while :; do :; done" </dev/null >/dev/null 2>&1 & done');
    await new Promise((r) => setTimeout(r, 6000));
    const busy = await execP50();
    clearInterval(hogTimer);
    await hogRound;
    const demoted = hogs?.demoted ?? 0;
    await Promise.all([...spinners, quiet].map((i) => destroyInstance(docker, i.id)));
    const ratio = busy / alone;
    rows.push({ attack: 'cpu', figure: `${alone.toFixed(0)} -> ${busy.toFixed(0)} ms, ratio ${ratio.toFixed(2)}`, target: 'ratio <= 1.5', met: ratio <= 1.5, detail: `(p50 of \`true\`, 30 execs; ${hogs ? `${demoted} of 6 spinning nodes demoted to idle priority` : 'no demotion'})` });
    console.log(`${ratio <= 1.5 ? 'ok  ' : 'MISS'} cpu        quiet p50 ${alone.toFixed(0)} ms alone, ${busy.toFixed(0)} ms beside two spinning instances: ratio ${ratio.toFixed(2)} (target <= 1.5) ${rows.at(-1)!.detail}`);
  }

  await attack('init', victim, async (attacker) => {
    const before = (await docker.getContainer(node(attacker, 'a')).inspect()).State.Pid;
    await sh(attacker, 'a', 'kill 1; kill -TERM 1; kill -9 1; sleep 1').catch(() => undefined);
    await new Promise((r) => setTimeout(r, 2000));
    const after = (await docker.getContainer(node(attacker, 'a')).inspect()).State;
    const survived = after.Status === 'running' && after.Pid === before;
    // A collector of another scope, an hour from now, must leave it alone.
    const { collectGarbage } = await import('@praxis/sandbox');
    await collectGarbage(docker, { scope: `${scope}-other`, now: new Date(Date.now() + 3_600_000), provisioningGraceMs: 0 });
    const kept = (await docker.getContainer(node(attacker, 'a')).inspect().catch(() => undefined)) !== undefined;
    return {
      figure: `${survived ? 'node kept running' : 'node died'} after kill 1 / kill -9 1; ${kept ? 'kept' : 'removed'} by another scope's collector`,
      target: 'both kept',
      met: survived && kept,
      detail: '',
    };
  });

  await destroyInstance(docker, victim.id);
  const missed = rows.filter((r) => !r.met);
  console.log(`\nisolation: ${rows.map((r) => `${r.attack}=${r.met ? 'ok' : 'MISSED'}`).join(' ')}`);
  if (missed.length) {
    console.log(`targets missed: ${missed.map((r) => r.attack).join(', ')}`);
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (error) {
  console.error(`isolation benchmark failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await destroyScopeInstances(docker, scope);
}

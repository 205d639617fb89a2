// The kernel watchdog against a real flood: one learner fills the host's neighbour table from a
// node (UDP to every address of a /10, each a new ARP entry) while another learner's instance
// resolves its neighbours afresh every 100 ms. The flooding instance is stopped within seconds
// (its terminal closes with the reason, its attempt ends as "stopped" and is graded); the other
// instance keeps working.
import { describe, expect, it } from 'vitest';
import { execInNode } from '@praxis/sandbox';
import { CloseCode } from '@praxis/terminal-protocol';
import { followEvents, setUpTest, useAttemptApp, waitFor } from './attempt-helpers';
import { TerminalTestClient } from './terminal-helpers';

const SCOPE = 'api-kernel-watchdog';
const ctx = useAttemptApp(SCOPE, { PRAXIS_WATCHDOG_INTERVAL: '1' });

const FLOOD = `ip addr add 10.64.0.1/10 dev eth0
cat > /tmp/flood.pl <<'PERL_EOF'
use Socket;
my ($n, $i, $s, $end) = (0, 2, undef, time + 30);
while (time < $end) {
  socket($s, PF_INET, SOCK_DGRAM, 0) or die "socket: $!";
  for (1 .. 100) { send($s, "x", MSG_DONTWAIT, pack_sockaddr_in(9, pack("N", (10 << 24) | (64 << 16) + $i++))) and $n++ }
  close($s);
}
PERL_EOF
setsid perl /tmp/flood.pl </dev/null >/dev/null 2>&1 &
echo flooding`;

describe('kernel watchdog', () => {
  it('stops the instance that floods the neighbour table while another instance keeps working', async () => {
    const { testId, learner } = await setUpTest(ctx.app, { questions: ['list-interfaces', 'route-on-a'], timeLimitSeconds: 900 });
    const [alice, bob] = await Promise.all([learner(), learner()]);
    const attempts = await Promise.all(
      [alice, bob].map(async (c) => {
        const id = (await c.post(`/api/tests/${testId}/attempts`)).json().id as string;
        expect((await followEvents(c, id)).at(-1)!.event).toBe('ready');
        return { id, instanceId: (await c.get(`/api/attempts/${id}`)).json().instanceId as string };
      }),
    );
    const [flooder, victim] = attempts as [(typeof attempts)[0], (typeof attempts)[0]];
    await ctx.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (ctx.app.server.address() as { port: number }).port;
    const token = (await alice.post(`/api/attempts/${flooder.id}/terminal-token`, { node: 'a' })).json();
    const term = await TerminalTestClient.connect(`ws://127.0.0.1:${port}${token.url}`);

    const docker = ctx.app.sandbox.docker;
    // The victim: 80 fresh resolutions of B from A, 100 ms apart, during the flood.
    const probes = execInNode(docker, victim.instanceId, 'a', ['sh', '-c', 'ok=0; bad=0; for i in $(seq 1 80); do ip neigh flush dev eth0; if ping -c1 -W1 192.168.1.6 >/dev/null 2>&1; then ok=$((ok+1)); else bad=$((bad+1)); fi; sleep 0.1; done; echo "$ok $bad"'], { timeoutMs: 120_000 });
    await new Promise((r) => setTimeout(r, 1000));
    const t0 = Date.now();
    expect((await execInNode(docker, flooder.instanceId, 'a', ['sh', '-c', FLOOD])).stdout).toContain('flooding');

    const closed = await term.closed;
    const stoppedAfterMs = Date.now() - t0;
    expect(closed.code).toBe(CloseCode.timeUp);
    expect(closed.reason).toMatch(/your lab was stopped: node "a" held [\d,]+ neighbour/);
    const ended = await waitFor('the flooder graded', async () => {
      const a = await ctx.app.db.attempt.findUniqueOrThrow({ where: { id: flooder.id } });
      return a.status === 'graded' ? a : undefined;
    }, 60_000);
    expect(ended.endReason).toBe('stopped');
    expect(ended.error).toMatch(/neighbour \(ARP\/NDP\) entries \(the limit is 2,048\)/);
    const result = (await alice.get(`/api/attempts/${flooder.id}/result`)).json();
    expect(result).toMatchObject({ status: 'graded', endReason: 'stopped' });

    const [ok, lost] = (await probes).stdout.trim().split(' ').map(Number) as [number, number];
    console.log(`flooder stopped ${stoppedAfterMs} ms after the flood began; the victim lost ${lost} of ${ok + lost} fresh resolutions`);
    expect(stoppedAfterMs).toBeLessThan(15_000);
    expect(lost / (ok + lost)).toBeLessThanOrEqual(0.1);
    // The victim's attempt goes on.
    expect((await bob.get(`/api/attempts/${victim.id}`)).json().status).toBe('active');
    expect((await execInNode(docker, victim.instanceId, 'a', ['ping', '-c1', '-W1', '192.168.1.6'])).exitCode).toBe(0);
  });
});

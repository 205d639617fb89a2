// Coordination of API processes against a real PostgreSQL: one leader at a time and a new one
// when it goes, liveness read from the locks, NOTIFY reaching every process, start-up work
// serialised by the deployment lock, and a leader that loses its connection stops leading.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, openCoordination, withDeploymentLock, type Coordination, type TestDatabase } from '../src/index';

let tdb: TestDatabase;
const open: Coordination[] = [];
beforeAll(async () => {
  tdb = await createTestDatabase('coordination');
});
// Each test starts with no process of the one before (else an old leader would keep leading).
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});
afterAll(async () => {
  await tdb?.drop();
});

async function start(): Promise<Coordination> {
  const c = await openCoordination(tdb.url, { pollMs: 100 });
  open.push(c);
  return c;
}

async function waitFor(what: string, test: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('openCoordination', () => {
  it('elects one leader among three and another when it closes; every live process shows in the locks', async () => {
    const [a, b, c] = [await start(), await start(), await start()];
    await waitFor('a leader', () => [a, b, c].some((x) => x.leader));
    await new Promise((r) => setTimeout(r, 300));
    expect([a, b, c].filter((x) => x.leader)).toHaveLength(1);
    expect(new Set([a.workerId, b.workerId, c.workerId]).size).toBe(3);
    const live = await a.liveWorkers();
    for (const x of [a, b, c]) expect(live.has(x.workerId)).toBe(true);

    const first = [a, b, c].find((x) => x.leader)!;
    const rest = [a, b, c].filter((x) => x !== first);
    await first.close();
    await waitFor('a new leader', () => rest.some((x) => x.leader));
    expect(rest.filter((x) => x.leader)).toHaveLength(1);
    expect((await rest[0]!.liveWorkers()).has(first.workerId)).toBe(false);
  });

  it('delivers a NOTIFY sent through any connection to every process that listens', async () => {
    const [a, b] = [await start(), await start()];
    const got: string[] = [];
    a.listen('praxis_test', (p) => got.push(`a:${p}`));
    b.listen('praxis_test', (p) => got.push(`b:${p}`));
    await new Promise((r) => setTimeout(r, 200));
    const sender = new pg.Client({ connectionString: tdb.url });
    await sender.connect();
    await sender.query("SELECT pg_notify('praxis_test', 'hello')");
    await sender.end();
    await waitFor('both deliveries', () => got.length === 2);
    expect(got.sort()).toEqual(['a:hello', 'b:hello']);
  });

  it('a leader whose connection is killed stops leading, reconnects with the same id and says so', async () => {
    const a = await start();
    const b = await start();
    await waitFor('a leader', () => a.leader || b.leader);
    const leader = a.leader ? a : b;
    const follower = leader === a ? b : a;
    let reconnected = 0;
    leader.onReconnect(() => (reconnected += 1));
    const admin = new pg.Client({ connectionString: tdb.url });
    await admin.connect();
    // The server ends the leader's session, as a restart of PostgreSQL or a dropped link would.
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::oid AND objid = $2::oid AND granted`,
      [0x50525801, leader.workerId],
    );
    await admin.end();
    await waitFor('the old leader to step down', () => !leader.leader);
    await waitFor('the follower to lead', () => follower.leader);
    await waitFor('the reconnect', () => reconnected === 1, 15_000);
    expect((await follower.liveWorkers()).has(leader.workerId)).toBe(true);
    expect(leader.leader).toBe(false);
  });
});

describe('withDeploymentLock', () => {
  it('runs start-up work of several processes one at a time', async () => {
    let inside = 0;
    let most = 0;
    const work = async () => {
      inside += 1;
      most = Math.max(most, inside);
      await new Promise((r) => setTimeout(r, 100));
      inside -= 1;
    };
    await Promise.all([1, 2, 3].map(() => withDeploymentLock(tdb.url, 'seed', work)));
    expect(most).toBe(1);
  });
});

// How API processes sharing one PostgreSQL know of each other. Each process keeps one dedicated
// connection (never a pooled one: session locks and LISTEN belong to a connection) on which it
//  - holds a lock named by its worker id, so the others can tell it is alive (pg_locks shows it
//    exactly as long as the connection lives, whatever way the process ends);
//  - tries for the leader lock: one process at a time runs the deployment's sweeps;
//  - LISTENs to the channels it follows (NOTIFY itself goes through the pool).
// After a failure it reconnects with backoff, losing and then trying for leadership again;
// listeners learn of the gap (onReconnect) and re-read what they may have missed.
import { randomInt } from 'node:crypto';
import pg from 'pg';

/** Advisory-lock namespaces (the first key of the two-key form): "PRX" and a number. */
export const LOCK_SPACE = { worker: 0x50525801, leader: 0x50525802, once: 0x50525803 } as const;

export interface CoordinationLog {
  info(o: object, m: string): void;
  warn(o: object, m: string): void;
}

export interface CoordinationOptions {
  /** How often a follower asks for the leader lock and a leader checks it still holds it. */
  pollMs?: number;
  log?: CoordinationLog;
}

export interface Coordination {
  /** This process's id among the deployment's processes (the key of its lock). */
  readonly workerId: number;
  readonly leader: boolean;
  /** Called with true when this process becomes the leader and false when it stops being it. */
  onLeadership(listener: (leader: boolean) => void): () => void;
  /** Follows a NOTIFY channel (lower-case identifier). */
  listen(channel: string, listener: (payload: string) => void): () => void;
  /** Called after the connection came back: notifications sent meanwhile were missed. */
  onReconnect(listener: () => void): () => void;
  /** Worker ids of the processes alive now (this one included while connected). */
  liveWorkers(): Promise<Set<number>>;
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

const LIVE_WORKERS_SQL = `SELECT objid::bigint AS id FROM pg_locks
  WHERE locktype = 'advisory' AND granted AND classid = $1::oid AND objsubid = 2
    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

export async function openCoordination(databaseUrl: string, options: CoordinationOptions = {}): Promise<Coordination> {
  const pollMs = options.pollMs ?? 1000;
  const log = options.log;
  const leadershipListeners = new Set<(leader: boolean) => void>();
  const reconnectListeners = new Set<() => void>();
  const channels = new Map<string, Set<(payload: string) => void>>();
  let client: pg.Client | undefined;
  let leader = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let workerId = 0;
  let polling = false;
  // One query at a time on the connection (pg would queue them, but warns and will refuse).
  let queue: Promise<unknown> = Promise.resolve();
  const query = <R extends pg.QueryResultRow>(c: pg.Client, text: string, values?: unknown[]): Promise<pg.QueryResult<R>> => {
    const run = queue.then(() => c.query<R>(text, values));
    queue = run.catch(() => undefined);
    return run;
  };

  const setLeader = (value: boolean) => {
    if (leader === value) return;
    leader = value;
    log?.info({ workerId, leader: value }, value ? 'this process leads the deployment' : 'this process no longer leads');
    for (const l of [...leadershipListeners]) l(value);
  };

  const connect = async (first: boolean): Promise<pg.Client> => {
    const c = new pg.Client({ connectionString: databaseUrl, keepAlive: true, query_timeout: 10_000, application_name: 'praxis-coordination' });
    await c.connect();
    try {
      if (first) {
        // A random id; on the rare collision with a live process, another.
        for (let i = 0; i < 20 && !workerId; i++) {
          const id = randomInt(1, 2 ** 31 - 1);
          const got = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [LOCK_SPACE.worker, id]);
          if (got.rows[0]?.ok) workerId = id;
        }
        if (!workerId) throw new Error('no free worker id after 20 tries');
      } else {
        // The server may not have noticed the old connection's end yet: wait for our own id.
        const got = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [LOCK_SPACE.worker, workerId]);
        if (!got.rows[0]?.ok) throw new Error(`worker id ${workerId} is still held by a previous connection`);
      }
      for (const channel of channels.keys()) await c.query(`LISTEN "${channel}"`);
    } catch (error) {
      await c.end().catch(() => undefined);
      throw error;
    }
    c.on('notification', (n) => {
      for (const l of [...(channels.get(n.channel) ?? [])]) l(n.payload ?? '');
    });
    c.on('error', (err) => lose(c, err));
    c.on('end', () => lose(c, new Error('connection ended')));
    return c;
  };

  let backoff = 500;
  const lose = (c: pg.Client, err: Error) => {
    if (client !== c) return;
    client = undefined;
    setLeader(false);
    c.end().catch(() => undefined);
    if (closed) return;
    log?.warn({ err, workerId }, 'coordination connection lost; reconnecting');
    const retry = () => {
      if (closed) return;
      connect(false).then(
        (fresh) => {
          if (closed) return void fresh.end().catch(() => undefined);
          client = fresh;
          backoff = 500;
          log?.info({ workerId }, 'coordination connection back');
          for (const l of [...reconnectListeners]) l();
        },
        (error: Error) => {
          backoff = Math.min(backoff * 2, 10_000);
          log?.warn({ err: error, workerId, retryInMs: backoff }, 'coordination reconnect failed');
          setTimeout(retry, backoff).unref();
        },
      );
    };
    setTimeout(retry, backoff).unref();
  };

  const poll = async () => {
    const c = client;
    if (polling || !c || closed) return;
    polling = true;
    try {
      if (leader) {
        // A leader whose connection silently died must stop leading: ask the server.
        const held = await query<{ n: string }>(
          c,
          `SELECT count(*) AS n FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory' AND granted AND classid = $1::oid AND objid = 1 AND objsubid = 2`,
          [LOCK_SPACE.leader],
        );
        if (Number(held.rows[0]?.n ?? 0) === 0) setLeader(false);
      } else {
        const got = await query<{ ok: boolean }>(c, 'SELECT pg_try_advisory_lock($1, 1) AS ok', [LOCK_SPACE.leader]);
        if (got.rows[0]?.ok && client === c && !closed) setLeader(true);
      }
    } catch (error) {
      lose(c, error as Error);
    } finally {
      polling = false;
    }
  };

  client = await connect(true);
  await poll();
  timer = setInterval(() => void poll(), pollMs);
  timer.unref();

  return {
    get workerId() {
      return workerId;
    },
    get leader() {
      return leader;
    },
    onLeadership(listener) {
      leadershipListeners.add(listener);
      return () => leadershipListeners.delete(listener);
    },
    listen(channel, listener) {
      if (!CHANNEL.test(channel)) throw new Error(`"${channel}" is not a channel name`);
      let set = channels.get(channel);
      if (!set) {
        set = new Set();
        channels.set(channel, set);
        const c = client;
        if (c) query(c, `LISTEN "${channel}"`).catch((err: Error) => lose(c, err));
      }
      set.add(listener);
      return () => set.delete(listener);
    },
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
    async liveWorkers() {
      const c = client;
      if (!c) throw new Error('the coordination connection is down');
      const rows = await query<{ id: string }>(c, LIVE_WORKERS_SQL, [LOCK_SPACE.worker]);
      return new Set(rows.rows.map((r) => Number(r.id)));
    },
    async close() {
      closed = true;
      clearInterval(timer);
      const c = client;
      client = undefined;
      setLeader(false);
      // Ending the connection releases the worker and leader locks at once: another process
      // takes over without waiting.
      await c?.end().catch(() => undefined);
    },
  };
}

/**
 * Runs `work` while holding a deployment-wide lock named `name` (on a connection of its own), so
 * start-up tasks that every process runs (the seed bank, the first admin) run one at a time and
 * the later ones find the work done.
 */
export async function withDeploymentLock<T>(databaseUrl: string, name: string, work: () => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: databaseUrl, application_name: 'praxis-once' });
  await c.connect();
  try {
    await c.query('SELECT pg_advisory_lock($1, hashtext($2))', [LOCK_SPACE.once, name]);
    return await work();
  } finally {
    await c.end().catch(() => undefined);
  }
}

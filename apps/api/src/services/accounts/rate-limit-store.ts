// The store behind @fastify/rate-limit (sign-in, sign-up): fixed windows in PostgreSQL, so every
// API process counts the same attempts (in memory, each process would allow the limit again).
// One statement per request: the row is created, counted up or restarted when its window ended.
import type { DbClient } from '@praxis/db';

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;

/** What the plugin passes to child(): the route's merged options with the route itself. */
interface ChildOptions {
  routeInfo?: { method?: string | string[]; url?: string };
}

/** A store class for the plugin's `store` option (the plugin constructs it, then asks a child per route). */
export function postgresRateLimitStore(db: DbClient) {
  return class PostgresRateLimitStore {
    constructor(
      _options: unknown,
      private readonly prefix = 'global-',
    ) {}

    incr(key: string, callback: Callback, timeWindow: number): void {
      const id = `${this.prefix}${key}`.slice(0, 500);
      const windowMs = Math.max(1, Math.round(timeWindow));
      db.$queryRaw<{ count: number; ttl_ms: number }[]>`
        INSERT INTO rate_limits (key, count, reset_at)
          VALUES (${id}, 1, now() + make_interval(secs => ${windowMs / 1000}))
        ON CONFLICT (key) DO UPDATE SET
          count = CASE WHEN rate_limits.reset_at <= now() THEN 1 ELSE rate_limits.count + 1 END,
          reset_at = CASE WHEN rate_limits.reset_at <= now() THEN now() + make_interval(secs => ${windowMs / 1000}) ELSE rate_limits.reset_at END
        RETURNING count, GREATEST(0, ceil(extract(epoch FROM reset_at - now()) * 1000))::int AS ttl_ms`.then(
        (rows) => callback(null, { current: rows[0]!.count, ttl: rows[0]!.ttl_ms }),
        (err: Error) => callback(err),
      );
    }

    // Typed `object`: the plugin's types name the route options, but at run time it passes its
    // merged options with the route under `routeInfo`.
    child(options: object): PostgresRateLimitStore {
      const { method = '', url = '' } = (options as ChildOptions).routeInfo ?? {};
      return new PostgresRateLimitStore(options, `${String(method)} ${url} `);
    }
  };
}

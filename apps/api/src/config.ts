// Configuration, read and validated once at start-up; a bad environment stops the start with a
// message naming the variable. Nothing else in the server reads process.env.
import { createHmac, randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { EngineConfigError, loadEngineSpecs, type ResolvedEngine } from '@praxis/sandbox';
import { passwordWeakness } from './services/accounts/password-policy';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DOCKER_HOST: z.string().optional(),
  /** Label scope of this deployment's instances (tests use their own). */
  PRAXIS_SCOPE: z.string().regex(/^[a-z0-9-]{1,40}$/).default('default'),
  /** Seconds between garbage-collector sweeps of expired or unknown instances. */
  PRAXIS_GC_INTERVAL: z.coerce.number().int().min(5).default(60),
  /**
   * Seconds a lab image (`praxis-lab:<hash>`) no container uses and no current lab needs is kept
   * after it was built, before the leader removes it; `off` keeps every lab image.
   */
  PRAXIS_LAB_IMAGE_GRACE: z.union([z.literal('off'), z.coerce.number().int().min(60)]).default(3600),
  /** Seconds between rounds of the kernel watchdog and the CPU-hog demotion (docs/sandbox-security.md); 0 turns both off. */
  PRAXIS_WATCHDOG_INTERVAL: z.coerce.number().int().min(0).max(300).default(2),
  PRAXIS_IMAGES_DIR: z.string().optional(),
  PRAXIS_BASE_IMAGE: z.string().default('praxis-base:bookworm'),
  DATABASE_URL: z.string().optional(),
  PRAXIS_DATA_DIR: z.string().default('data'),
  /** Secret that signs CSRF and terminal tokens (sessions are random tokens kept in the database). */
  PRAXIS_SECRET: z.string().min(32).optional(),
  /** 1 enables development-only routes (e.g. minting terminal tokens without a session). */
  PRAXIS_DEV_ROUTES: z.enum(['0', '1']).default('0'),
  /** First admin account, created (or promoted) at start-up; without it the first sign-up is admin. */
  PRAXIS_ADMIN_EMAIL: z.string().email().optional(),
  PRAXIS_ADMIN_PASSWORD: z.string().min(10).optional(),
  /** Lab instances running at once; further attempts wait in a queue with a position. */
  PRAXIS_MAX_INSTANCES: z.coerce.number().int().min(1).default(8),
  /**
   * Instances of each lab of the available tests kept provisioned ahead (the warm pool), unless
   * the lab sets `warmPool`; they count against PRAXIS_MAX_INSTANCES. 0 (the default): none.
   */
  PRAXIS_WARM_POOL: z.coerce.number().int().min(0).max(8).default(0),
  /**
   * Lab instances one API process provisions at once; the rest wait their turn (the learner's
   * attempt stays "provisioning"). Unset: the host's cores. Sixty instances started together on
   * two cores each take the whole burst's time and starve every Check and keystroke meanwhile;
   * a few at a time finish in the same total, each ready in a second or two.
   */
  PRAXIS_PROVISION_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  /**
   * The Docker engines instances are placed on, each with its capacity: a JSON array, or the path
   * of a JSON file holding one (see docs/deploy.md). Unset: one engine, DOCKER_HOST or the local
   * socket, holding PRAXIS_MAX_INSTANCES.
   */
  PRAXIS_ENGINES: z.string().min(1).optional(),
  /**
   * Seconds an engine may stay unreachable before the attempts on it end (failed, not counted
   * against the learner); if it comes back sooner, their deadlines move by the time it was away.
   */
  PRAXIS_ENGINE_GRACE: z.coerce.number().int().min(0).max(3600).default(120),
  /** 1 marks cookies Secure (set it behind HTTPS). */
  PRAXIS_COOKIE_SECURE: z.enum(['0', '1']).default('0'),
  /** A folder of labs imported at start-up as the bank "course" (once), with an open test per lab. */
  PRAXIS_SEED_LABS: z.string().optional(),
  /**
   * The only folder (and its sub-folders) that POST /api/banks/import may read; unset, importing
   * a folder of the server is off and banks arrive as uploaded archives.
   */
  PRAXIS_IMPORT_ROOT: z.string().min(1).optional(),
  /**
   * Seconds converting one uploaded Killercoda/Instruqt archive may take (in a worker thread)
   * before it is stopped and refused.
   */
  PRAXIS_IMPORT_TIME_LIMIT: z.coerce.number().int().min(1).max(600).default(60),
  /** Unfinished attempts (queued, provisioning, active, grading) one learner may hold at once. */
  PRAXIS_MAX_UNFINISHED_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(1),
  /**
   * Behind a reverse proxy: the number of proxy hops to trust for the client address (used by
   * the sign-in rate limit and the logs). 0, the default, trusts none.
   */
  PRAXIS_TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * 1: this process is one of several API processes of one deployment (behind a load balancer,
   * one external PostgreSQL). Requires DATABASE_URL and PRAXIS_SECRET (the same in every
   * process). 0, the default: the only process; a start that finds another one refuses.
   */
  PRAXIS_CLUSTER: z.enum(['0', '1']).default('0'),
});

export interface Config {
  port: number;
  host: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** The engines instances are placed on (PRAXIS_ENGINES, or DOCKER_HOST as the one engine "default"). */
  engines: ResolvedEngine[];
  /** Seconds an unreachable engine's attempts wait for it (PRAXIS_ENGINE_GRACE). */
  engineGraceSeconds: number;
  scope: string;
  gcIntervalSeconds: number;
  /** PRAXIS_LAB_IMAGE_GRACE; null: lab images are never removed. */
  labImageGraceSeconds: number | null;
  watchdogIntervalSeconds: number;
  images: { imagesDir?: string; baseImage: string };
  databaseUrl?: string;
  dataDir: string;
  secret?: string;
  /** Key of terminal tokens: derived from PRAXIS_SECRET, else random per process (tokens die with it). */
  terminalSecret: Buffer;
  devRoutes: boolean;
  admin?: { email: string; password: string };
  /** The deployment's instances at most: the engines' capacities together. */
  maxInstances: number;
  warmPool: number;
  /** PRAXIS_PROVISION_CONCURRENCY, else the host's cores. */
  provisionConcurrency: number;
  cookieSecure: boolean;
  seedLabsDir?: string;
  /** Absolute; undefined when importing by path is off. */
  importRoot?: string;
  /** Milliseconds a conversion of uploaded scenarios may take (PRAXIS_IMPORT_TIME_LIMIT). */
  importTimeLimitMs: number;
  maxUnfinishedAttempts: number;
  trustProxyHops: number;
  /** One of several API processes (PRAXIS_CLUSTER=1). */
  cluster: boolean;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.PRAXIS_CLUSTER === '1') {
    // Several processes must sign tokens with one key and share one database: without these,
    // a browser's next request, reaching another process, would be refused or see other data.
    const missing = [
      ...(e.PRAXIS_SECRET ? [] : ['  PRAXIS_SECRET: required with PRAXIS_CLUSTER=1 (at least 32 characters, the same in every process): CSRF and terminal tokens signed by one process are checked by another']),
      ...(e.DATABASE_URL ? [] : ['  DATABASE_URL: required with PRAXIS_CLUSTER=1: every process uses the one external PostgreSQL (the embedded one belongs to a single process)']),
    ];
    if (missing.length) throw new ConfigError(`invalid environment:\n${missing.join('\n')}`);
  }
  let engines: ResolvedEngine[];
  if (e.PRAXIS_ENGINES) {
    const both = ['DOCKER_HOST', 'PRAXIS_MAX_INSTANCES'].filter((k) => env[k] !== undefined);
    if (both.length) throw new ConfigError(`invalid environment:\n  ${both.join(', ')}: not used with PRAXIS_ENGINES (give each engine its url and capacity there)`);
    try {
      engines = loadEngineSpecs(e.PRAXIS_ENGINES);
    } catch (error) {
      if (error instanceof EngineConfigError) throw new ConfigError(`invalid environment:\n  ${error.message}`);
      throw error;
    }
  } else {
    engines = [{ id: 'default', url: e.DOCKER_HOST?.replace(/^(http|https):/, 'tcp:') ?? 'unix:///var/run/docker.sock', capacity: e.PRAXIS_MAX_INSTANCES }];
  }
  if (e.PRAXIS_ADMIN_PASSWORD) {
    const weakness = passwordWeakness(e.PRAXIS_ADMIN_PASSWORD, [e.PRAXIS_ADMIN_EMAIL ?? '']);
    if (weakness) throw new ConfigError(`invalid environment:\n  PRAXIS_ADMIN_PASSWORD: ${weakness}`);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    engines,
    engineGraceSeconds: e.PRAXIS_ENGINE_GRACE,
    scope: e.PRAXIS_SCOPE,
    gcIntervalSeconds: e.PRAXIS_GC_INTERVAL,
    labImageGraceSeconds: e.PRAXIS_LAB_IMAGE_GRACE === 'off' ? null : e.PRAXIS_LAB_IMAGE_GRACE,
    watchdogIntervalSeconds: e.PRAXIS_WATCHDOG_INTERVAL,
    images: { imagesDir: e.PRAXIS_IMAGES_DIR, baseImage: e.PRAXIS_BASE_IMAGE },
    databaseUrl: e.DATABASE_URL,
    dataDir: e.PRAXIS_DATA_DIR,
    secret: e.PRAXIS_SECRET,
    terminalSecret: e.PRAXIS_SECRET
      ? createHmac('sha256', e.PRAXIS_SECRET).update('praxis terminal token v1').digest()
      : randomBytes(32),
    devRoutes: e.PRAXIS_DEV_ROUTES === '1',
    admin: e.PRAXIS_ADMIN_EMAIL && e.PRAXIS_ADMIN_PASSWORD ? { email: e.PRAXIS_ADMIN_EMAIL.toLowerCase(), password: e.PRAXIS_ADMIN_PASSWORD } : undefined,
    maxInstances: engines.reduce((n, x) => n + x.capacity, 0),
    warmPool: e.PRAXIS_WARM_POOL,
    provisionConcurrency: e.PRAXIS_PROVISION_CONCURRENCY ?? Math.max(1, availableParallelism()),
    cookieSecure: e.PRAXIS_COOKIE_SECURE === '1',
    seedLabsDir: e.PRAXIS_SEED_LABS,
    importRoot: e.PRAXIS_IMPORT_ROOT ? path.resolve(e.PRAXIS_IMPORT_ROOT) : undefined,
    importTimeLimitMs: e.PRAXIS_IMPORT_TIME_LIMIT * 1000,
    maxUnfinishedAttempts: e.PRAXIS_MAX_UNFINISHED_ATTEMPTS,
    trustProxyHops: e.PRAXIS_TRUST_PROXY,
    cluster: e.PRAXIS_CLUSTER === '1',
  };
}

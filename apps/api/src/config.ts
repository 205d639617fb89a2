// Configuration, read and validated once at start-up; a bad environment stops the start with a
// message naming the variable. Nothing else in the server reads process.env.
import { z } from 'zod';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DOCKER_HOST: z.string().optional(),
  /** Label scope of this deployment's instances (tests use their own). */
  PRAXIS_SCOPE: z.string().regex(/^[a-z0-9-]{1,40}$/).default('default'),
  /** Seconds between garbage-collector sweeps of expired or unknown instances. */
  PRAXIS_GC_INTERVAL: z.coerce.number().int().min(5).default(60),
  PRAXIS_IMAGES_DIR: z.string().optional(),
  PRAXIS_BASE_IMAGE: z.string().default('praxis-base:bookworm'),
  DATABASE_URL: z.string().optional(),
  PRAXIS_DATA_DIR: z.string().default('data'),
  /** Secret that signs sessions and terminal tokens; generated per data dir when absent. */
  PRAXIS_SECRET: z.string().min(32).optional(),
});

export interface Config {
  port: number;
  host: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  docker: { host?: string };
  scope: string;
  gcIntervalSeconds: number;
  images: { imagesDir?: string; baseImage: string };
  databaseUrl?: string;
  dataDir: string;
  secret?: string;
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
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    docker: { host: e.DOCKER_HOST },
    scope: e.PRAXIS_SCOPE,
    gcIntervalSeconds: e.PRAXIS_GC_INTERVAL,
    images: { imagesDir: e.PRAXIS_IMAGES_DIR, baseImage: e.PRAXIS_BASE_IMAGE },
    databaseUrl: e.DATABASE_URL,
    dataDir: e.PRAXIS_DATA_DIR,
    secret: e.PRAXIS_SECRET,
  };
}

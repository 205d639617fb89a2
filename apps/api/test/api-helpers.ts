// Shared by the API integration tests: an app on its own fresh database and scope (started and
// closed around a test file by useTestApp), and a small client that keeps cookies and sends the
// CSRF header, as a browser would.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type Role, type TestDatabase } from '@praxis/db';
import { buildApp, type BuildOptions } from '../src/app';
import { loadConfig, type Config } from '../src/config';
import { hashPassword } from '../src/services/accounts/password';

export interface TestContext {
  app: FastifyInstance;
  config: Config;
  database: TestDatabase;
  /** Builds another app on the same database and scope (a "restart"). */
  restart(): Promise<FastifyInstance>;
  close(): Promise<void>;
}

/** `env` overrides the test defaults; a key set to undefined removes that default. */
export async function startTestApp(scope: string, env: Record<string, string | undefined> = {}, build: Omit<BuildOptions, 'logger'> = {}): Promise<TestContext> {
  const database = await createTestDatabase(scope);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'praxis-api-'));
  const config = loadConfig({
    DATABASE_URL: database.url,
    PRAXIS_SCOPE: scope,
    PRAXIS_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PRAXIS_SECRET: 'test-secret-0123456789abcdef0123456789',
    // Banks are imported by path from the course's labs (tests that need another folder say so).
    PRAXIS_IMPORT_ROOT: path.resolve(import.meta.dirname, '../../../labs'),
    // Test apps share the engine with other test files, whose lab images their databases do not
    // know: the lab-image collector stays off (lab-images.test.ts turns it on with its own images).
    PRAXIS_LAB_IMAGE_GRACE: 'off',
    ...(process.env.PRAXIS_IMAGES_DIR ? { PRAXIS_IMAGES_DIR: process.env.PRAXIS_IMAGES_DIR } : {}),
    ...env,
  });
  const apps: FastifyInstance[] = [];
  const make = async () => {
    const app = await buildApp(config, { ...build, logger: false });
    await app.ready();
    apps.push(app);
    return app;
  };
  const app = await make();
  return {
    app,
    config,
    database,
    restart: make,
    async close() {
      for (const a of apps) await a.close().catch(() => undefined);
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts the file's app before its tests (startTestApp) and closes it after them, first running
 * `beforeClose` (e.g. to destroy the instances its attempts left). The returned context is a plain
 * object filled in by beforeAll: read it inside tests; a test may point `app` at a restarted app
 * so the clean-up uses that one.
 */
export function useTestApp(
  scope: string,
  env: Record<string, string | undefined> = {},
  beforeClose?: (ctx: TestContext) => Promise<void>,
  build: () => Omit<BuildOptions, 'logger'> = () => ({}),
): TestContext {
  const ctx = {} as TestContext;
  beforeAll(async () => {
    Object.assign(ctx, await startTestApp(scope, env, build()));
  });
  afterAll(async () => {
    if (!ctx.app) return;
    await beforeClose?.(ctx);
    await ctx.close();
  });
  return ctx;
}

let clients = 0;

/**
 * A browser-like client: remembers cookies, fetches and echoes the CSRF token. Each comes from an
 * address of its own (127.0.x.y), as separate browsers would, so per-address rate limits count
 * each client alone.
 */
export class Client {
  cookies = new Map<string, string>();
  readonly remoteAddress: string;
  constructor(readonly app: FastifyInstance) {
    clients += 1;
    this.remoteAddress = `127.0.${Math.floor(clients / 250) % 250}.${(clients % 250) + 2}`;
  }

  async request(method: InjectOptions['method'], url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    if (method !== 'GET' && method !== 'HEAD' && !this.cookies.has('praxis_csrf')) await this.request('GET', '/api/auth/csrf');
    const res = await this.app.inject({
      method,
      url,
      remoteAddress: this.remoteAddress,
      payload: payload as InjectOptions['payload'],
      headers: {
        ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(method !== 'GET' && this.cookies.has('praxis_csrf') ? { 'x-csrf-token': this.cookies.get('praxis_csrf')! } : {}),
        ...headers,
      },
    });
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }
  get = (url: string, headers?: Record<string, string>) => this.request('GET', url, undefined, headers);
  post = (url: string, body?: unknown, headers?: Record<string, string>) => this.request('POST', url, body ?? {}, headers);
  put = (url: string, body?: unknown) => this.request('PUT', url, body ?? {});
  patch = (url: string, body?: unknown) => this.request('PATCH', url, body ?? {});
  delete = (url: string) => this.request('DELETE', url);
}

let counter = 0;
/** Creates a user with the role directly in the database and signs in through the API. */
export async function signedInClient(app: FastifyInstance, role: Role, name: string = role): Promise<Client & { userId: string; email: string }> {
  const email = `${name}-${++counter}-${Date.now()}@example.test`;
  const password = 'correct horse battery';
  const user = await app.db.user.create({ data: { email, name, role, passwordHash: await hashPassword(password) } });
  const client = new Client(app) as Client & { userId: string; email: string };
  const res = await client.post('/api/auth/sign-in', { email, password });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`);
  client.userId = user.id;
  client.email = email;
  return client;
}

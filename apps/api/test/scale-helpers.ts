// A deployment of several API processes for the scale-out proof (e2e) and the load benchmark: the
// real API entry point N times on one database (PRAXIS_CLUSTER=1, one secret), and a real HAProxy
// from Debian in front of them on a random loopback port (round robin per request, no sticky
// sessions, health checks on /healthz, a failed connection retried on the other process). Every
// answer carries `x-served-by: <process name>`, so a test can tell which process served what.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, findFreePort } from '@praxis/db';
import { startApiServer, type ApiServer } from './terminal-helpers';
import type { Browser } from './http-browser';

export const HAPROXY = '/usr/sbin/haproxy';

export interface Balancer {
  /** http://127.0.0.1:<port> */
  base: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function haproxyConfig(port: number, backends: { name: string; port: number }[]): string {
  return [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 1h',
    '  timeout server 1h',
    // WebSockets (terminals) and server-sent events stay open as long as the exam.
    '  timeout tunnel 1h',
    // A process slowed by a busy machine is not a dead one: a refused connection marks it down at once.
    '  timeout check 3s',
    '  option forwardfor',
    // A connection refused by a process that just died is tried again on another one.
    '  retries 2',
    '  option redispatch',
    // A request caught by a process that died (reset, no answer) is tried again on another one
    // when it is a read (GET/HEAD; see the backend): retrying a POST could do its work twice.
    '  retry-on conn-failure empty-response response-timeout',
    'frontend praxis',
    `  bind 127.0.0.1:${port}`,
    '  default_backend api',
    'backend api',
    // Each request on its own: no stickiness of any kind.
    '  balance roundrobin',
    '  http-request disable-l7-retry unless METH_GET',
    '  option httpchk GET /healthz',
    '  http-check expect status 200',
    '  http-response set-header x-served-by %s',
    ...backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check inter 1s fall 2 rise 1`),
    '',
  ].join('\n');
}

/** HAProxy in the foreground on a random loopback port, in front of `backends`. */
export async function startBalancer(backends: { name: string; port: number }[]): Promise<Balancer> {
  if (!existsSync(HAPROXY)) throw new Error(`${HAPROXY} is missing: run "bash infra/scripts/ensure-deps.sh --balancer" (installs Debian's haproxy)`);
  const port = await findFreePort();
  const dir = mkdtempSync(join(tmpdir(), 'praxis-haproxy-'));
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(config, haproxyConfig(port, backends));
  const child = spawn(HAPROXY, ['-f', config, '-db'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) break;
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode} (config ${config})`);
    if (Date.now() > deadline) throw new Error(`haproxy did not answer ${base}/healthz within 20 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    port,
    child,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Deployment {
  /** The balancer's address when there is one, else the single process's. */
  base: string;
  processes: ApiServer[];
  balancer?: Balancer;
  databaseUrl: string;
  secret: string;
  admin: { email: string; password: string };
  /** Stops the balancer and every process still running, runs `afterExit`, drops the database. */
  stop(afterExit?: () => Promise<void>): Promise<void>;
}

export interface DeploymentOptions {
  scope: string;
  /** How many API processes; with more than one, HAProxy is put in front of them. */
  processes: number;
  env?: Record<string, string>;
}

/** N API processes of one deployment on a database of their own, behind HAProxy when N > 1. */
export async function startDeployment(options: DeploymentOptions): Promise<Deployment> {
  const database = await createTestDatabase(options.scope);
  const secret = randomBytes(24).toString('hex');
  const admin = { email: `admin@${options.scope}.praxis.test`, password: `admin-${secret.slice(0, 16)}` };
  const processes: ApiServer[] = [];
  let balancer: Balancer | undefined;
  const stop = async (afterExit?: () => Promise<void>) => {
    await balancer?.stop();
    await Promise.all(processes.map((p) => (p.child.exitCode === null && p.child.signalCode === null ? p.stop() : undefined)));
    await afterExit?.();
    await database.drop().catch(() => undefined);
  };
  try {
    for (let i = 0; i < options.processes; i++) {
      processes.push(
        await startApiServer({
          scope: options.scope,
          dataDirPrefix: `praxis-${options.scope}-${i + 1}-`,
          secret,
          databaseUrl: database.url,
          env: {
            PRAXIS_CLUSTER: '1',
            PRAXIS_ADMIN_EMAIL: admin.email,
            PRAXIS_ADMIN_PASSWORD: admin.password,
            // The balancer is the one hop in front: rate limits count each client's own address.
            PRAXIS_TRUST_PROXY: options.processes > 1 ? '1' : '0',
            PRAXIS_GC_INTERVAL: '60',
            ...options.env,
          },
        }),
      );
    }
    await Promise.all(processes.map((p) => p.waitUntilHealthy()));
    if (options.processes > 1) balancer = await startBalancer(processes.map((p, i) => ({ name: `api${i + 1}`, port: p.port })));
    return { base: balancer?.base ?? processes[0]!.base, processes, balancer, databaseUrl: database.url, secret, admin, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * As the signed-in admin: imports the lab folder `lab` (under PRAXIS_IMPORT_ROOT) as bank `slug`
 * and opens a practice test of the given `questions`, Check allowed, one attempt each unless
 * `attemptsAllowed` says more.
 */
export async function openPracticeTest(
  admin: Browser,
  o: { slug: string; lab: string; questions: string[]; title: string; timeLimitSeconds: number; attemptsAllowed?: number },
): Promise<{ id: string }> {
  const bank = await admin.ok('POST', '/api/banks/import', { slug: o.slug, path: o.lab });
  return admin.ok('POST', '/api/tests', {
    title: o.title,
    bankId: bank.bankId,
    lab: o.lab,
    timeLimitSeconds: o.timeLimitSeconds,
    attemptsAllowed: o.attemptsAllowed ?? 1,
    allowCheck: true,
    open: true,
    selection: { mode: 'fixed', questions: o.questions },
  });
}

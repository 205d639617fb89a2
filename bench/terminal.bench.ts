// Terminal benchmark: keystroke echo latency (p50/p99 over 1,000 keystrokes) and flood
// throughput (100 MB of `yes`) through Praxis's terminal and, in the same run and against the same
// lab node, through wetty (npm) running `docker exec -it <node> bash -l` with the environment and
// directory Praxis gives its shells. Both servers run as child processes on random loopback ports;
// this process is only the client. Last line:
// terminal: echo_p50=<ms> echo_p99=<ms> flood=<MB/s> wetty_echo_p50=<ms> wetty_flood=<MB/s>
// The exit code is 1 when a target is missed or wetty could not be measured.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { findFreePort } from '@praxis/db';
import { createDockerClient, createInstance, destroyInstance, nodeContainerName } from '@praxis/sandbox';
import { TerminalTestClient, labImageOptions, startApiServer, type ApiServer } from '../apps/api/test/terminal-helpers';
import { SHELL_DIR, SHELL_ENV } from '../apps/api/src/terminal/terminal-session';
import { percentile } from './percentile';

const KEYSTROKES = Number(process.env.BENCH_KEYSTROKES ?? 1000);
const FLOOD_MB = Number(process.env.BENCH_FLOOD_MB ?? 100);
const root = fileURLToPath(new URL('..', import.meta.url));
const docker = createDockerClient({ host: process.env.DOCKER_HOST });
/** Praxis's echo p99 must stay under this; its p50 and flood must not be worse than wetty's. */
const TARGETS = { echoP99Ms: 10, floodVsWetty: 0.8 };
const scope = `bench-term-${randomBytes(3).toString('hex')}`;

async function waitHttp(url: string, child: ChildProcess, what: string) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (await fetch(url).then((r) => r.status < 500, () => false)) return;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${what} did not start (${url})`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The same measurement for both terminals: a typed line, a stream of bytes, a wait for text. */
interface Driver {
  type(text: string): void;
  /** Adds a listener of output text; returns its removal. */
  onData(listener: (text: string) => void): () => void;
}

/** Output fan-out shared by both drivers. */
function createListeners() {
  const set = new Set<(text: string) => void>();
  return {
    emit: (text: string) => {
      for (const l of set) l(text);
    },
    add: (listener: (text: string) => void) => {
      set.add(listener);
      return () => void set.delete(listener);
    },
  };
}

function waitText(driver: Driver, predicate: (all: string) => boolean, timeoutMs: number, keep = 4096): Promise<void> {
  return new Promise((resolve, reject) => {
    let tail = '';
    const timer = setTimeout(() => {
      remove();
      reject(new Error(`timed out; last output ${JSON.stringify(tail.slice(-200))}`));
    }, timeoutMs);
    const remove = driver.onData((text) => {
      tail = (tail + text).slice(-keep);
      if (predicate(tail)) {
        remove();
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

async function measure(driver: Driver, label: string): Promise<{ p50: number; p99: number; mbps: number }> {
  // Echo: keystrokes into `cat`, whose terminal echoes each one; one at a time, each timed.
  driver.type("PS1='READY> '; stty -echoctl; cat >/dev/null\r");
  await waitText(driver, (t) => t.includes("cat >/dev/null\r\n"), 20_000);
  await new Promise((r) => setTimeout(r, 300));
  const samples: number[] = [];
  for (let i = 0; i < KEYSTROKES; i++) {
    const ch = i % 80 === 79 ? '\r' : String.fromCharCode(97 + (i % 26));
    const expected = ch === '\r' ? '\n' : ch;
    const echoed = waitText(driver, (t) => t.endsWith(expected), 5_000, 8);
    const t0 = performance.now();
    driver.type(ch);
    await echoed;
    samples.push(performance.now() - t0);
  }
  driver.type('\r\x04');
  await waitText(driver, (t) => t.includes('READY> '), 10_000);
  // Flood: FLOOD_MB of "y\n" from the node, timed from the command to the end marker.
  const t0 = performance.now();
  driver.type(`yes | head -c ${FLOOD_MB}M; printf "E%sD\\n" N\r`);
  await waitText(driver, (t) => t.includes('END\r\n'), 600_000, 64);
  const seconds = (performance.now() - t0) / 1000;
  const result = { p50: percentile(samples, 50), p99: percentile(samples, 99), mbps: FLOOD_MB / seconds };
  console.log(`${label}: echo p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms; flood ${FLOOD_MB} MB in ${seconds.toFixed(1)} s = ${result.mbps.toFixed(1)} MB/s`);
  return result;
}

/** The real API entry point on a random port, with its own database, data dir and scope. */
async function startPraxis(): Promise<ApiServer> {
  const server = await startApiServer({ scope, dataDirPrefix: 'praxis-bench-term-' });
  try {
    await server.waitUntilHealthy();
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function benchPraxis(server: ApiServer, instanceId: string): Promise<{ p50: number; p99: number; mbps: number }> {
  const token = server.signToken({ sub: 'bench', instanceId, node: 'a', mode: 'write', exp: Math.floor(Date.now() / 1000) + 3600 });
  const listeners = createListeners();
  const decoder = new TextDecoder();
  const client = await TerminalTestClient.connect(`ws://127.0.0.1:${server.port}/api/terminal/${instanceId}/a?token=${token}`, {
    keepText: false,
    onOutput: (data) => listeners.emit(decoder.decode(data, { stream: true })),
  });
  const driver: Driver = { type: (text) => client.send(text), onData: listeners.add };
  const result = await measure(driver, 'praxis');
  await client.close();
  return result;
}

async function benchWetty(container: string): Promise<{ p50: number; p99: number; mbps: number }> {
  const port = await findFreePort();
  const wettyMain = fileURLToPath(new URL('../node_modules/wetty/build/main.js', import.meta.url));
  const server = spawn(
    process.execPath,
    [
      wettyMain, '--host', '127.0.0.1', '--port', String(port), '--base', '/wetty/',
      // The same shell as Praxis's: a login bash with the same environment, in the same directory.
      '--command', `docker exec -it ${SHELL_ENV.map((e) => `-e ${e}`).join(' ')} -w ${SHELL_DIR} ${container} bash -l`,
      '--log-level', 'warn',
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  let socket: Socket | undefined;
  try {
    await waitHttp(`http://127.0.0.1:${port}/wetty/`, server, 'wetty');
    socket = io(`http://127.0.0.1:${port}`, { path: '/wetty/socket.io', transports: ['websocket'] });
    const s = socket;
    const listeners = createListeners();
    s.on('data', (text: string) => {
      // wetty's flow control: the client commits what it rendered.
      s.emit('commit', text.length);
      listeners.emit(text);
    });
    await new Promise<void>((resolve, reject) => {
      s.once('login', () => resolve());
      s.once('connect_error', reject);
    });
    s.emit('resize', { cols: 80, rows: 24 });
    const driver: Driver = { type: (text) => s.emit('input', text), onData: listeners.add };
    await new Promise((r) => setTimeout(r, 1500)); // bash's first prompt
    return await measure(driver, 'wetty');
  } finally {
    socket?.close();
    server.kill('SIGTERM');
  }
}

async function main(): Promise<boolean> {
  const images = await labImageOptions(docker);
  // The server first: its start-up sweep would collect an instance it does not know.
  const server = await startPraxis();
  const instance = await createInstance(docker, { nodes: [{ name: 'a' }] }, { scope, owner: 'bench', ttlSeconds: 3600, ...images });
  let praxis: { p50: number; p99: number; mbps: number };
  let wetty: { p50: number; p99: number; mbps: number } | undefined;
  let wettyError: string | undefined;
  try {
    praxis = await benchPraxis(server, instance.id);
    try {
      wetty = await benchWetty(nodeContainerName(instance.id, 'a'));
    } catch (error) {
      wettyError = error instanceof Error ? error.message : String(error);
      console.log(`wetty could not be measured: ${wettyError}`);
    }
  } finally {
    await server.stop();
    await destroyInstance(docker, instance.id);
  }
  const problems: string[] = [];
  if (!wetty) problems.push(`the baseline (wetty) could not be measured: ${wettyError}`);
  if (praxis.p99 > TARGETS.echoP99Ms) problems.push(`echo p99 ${praxis.p99.toFixed(2)} ms > ${TARGETS.echoP99Ms} ms`);
  if (wetty && praxis.p50 > wetty.p50) problems.push(`echo p50 ${praxis.p50.toFixed(2)} ms > wetty's ${wetty.p50.toFixed(2)} ms`);
  if (wetty && praxis.mbps < TARGETS.floodVsWetty * wetty.mbps) problems.push(`flood ${praxis.mbps.toFixed(1)} MB/s < ${TARGETS.floodVsWetty} x wetty's ${wetty.mbps.toFixed(1)} MB/s`);
  console.log(`targets: echo p99 <= ${TARGETS.echoP99Ms} ms, echo p50 <= wetty's, flood >= ${TARGETS.floodVsWetty} x wetty's: ${problems.length ? `MISSED (${problems.join('; ')})` : 'met'}`);
  console.log(
    `terminal: echo_p50=${praxis.p50.toFixed(2)} echo_p99=${praxis.p99.toFixed(2)} flood=${praxis.mbps.toFixed(1)} wetty_echo_p50=${wetty ? wetty.p50.toFixed(2) : 'failed'} wetty_flood=${wetty ? wetty.mbps.toFixed(1) : 'failed'}`,
  );
  return problems.length === 0;
}

const met = await main().catch((error: unknown) => {
  console.error(`terminal benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  return false;
});
process.exit(met ? 0 : 1);

// A second, real Docker engine of the test's own for the scale-out proof: Debian's dockerd with
// its own socket, data-root, exec-root, pidfile and bridge (a second engine without its own
// bridge would delete the host's docker0 and strand the shared engine's containers; see
// docs/environment-notes.md), user-namespace remapped like the first, no iptables of its own
// (lab nodes have no Docker network), listening on loopback over TCP with TLS client
// certificates made here by openssl for this run (a CA, a server and a client certificate, in a
// 0700 folder removed at stop; never committed). The lab images are copied from the first engine.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '@praxis/db';
import { connectEngine, createDockerClient, pingEngine, syncImages, type Docker } from '@praxis/sandbox';

export interface TestEngine {
  id: string;
  /** tcp://127.0.0.1:<port> (TLS) */
  url: string;
  tls: { ca: string; cert: string; key: string };
  /** The engine's own unix socket (for the test's own inspection). */
  socket: string;
  /** A TLS client of the engine, as the API connects. */
  docker: Docker;
  dockerd: ChildProcess;
  /**
   * Cuts the engine off as a host that drops off the network would be: dockerd is frozen
   * (SIGSTOP), so its API stops answering while its containers run on.
   */
  cutOff(): void;
  /** Stops dockerd (its containers stop with it); the engine stops answering. */
  stopEngine(): Promise<void>;
  /** stopEngine, then removes the bridge, the folders and the certificates. */
  remove(): Promise<void>;
}

/** Runs openssl; throws with its stderr. */
function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA, and server (IP 127.0.0.1) and client certificates it signed, with EC keys; valid one day. */
export function makeCertificates(dir: string): { ca: string; serverCert: string; serverKey: string; cert: string; key: string } {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=praxis test engine CA'], dir);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName = IP:127.0.0.1\nextendedKeyUsage = serverAuth\n');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage = clientAuth\n');
  for (const [who, cn] of [['server', '127.0.0.1'], ['client', 'praxis-api']] as const) {
    openssl(['req', '-new', ...ec, '-keyout', `${who}-key.pem`, '-out', `${who}.csr`, '-subj', `/CN=${cn}`], dir);
    openssl(['x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-days', '1', '-out', `${who}-cert.pem`, '-extfile', `${who}.ext`], dir);
  }
  for (const f of ['ca-key.pem', 'server-key.pem', 'client-key.pem']) chmodSync(join(dir, f), 0o600);
  return { ca: join(dir, 'ca.pem'), serverCert: join(dir, 'server-cert.pem'), serverKey: join(dir, 'server-key.pem'), cert: join(dir, 'client-cert.pem'), key: join(dir, 'client-key.pem') };
}

/**
 * Starts the engine `id` (a short name: its bridge is `br-<id>`), waits until it answers over TLS
 * and copies the lab images `names` from the shared engine.
 */
export async function startTestEngine(id: string, options: { images?: string[]; onProgress?: (m: string) => void } = {}): Promise<TestEngine> {
  const bridge = `br-${id}`.slice(0, 15);
  const run = `/run/praxis-${id}`;
  const secrets = mkdtempSync(join(tmpdir(), `praxis-${id}-tls-`));
  chmodSync(secrets, 0o700);
  const dataRoot = `/var/lib/praxis-test-engine-${id}`;
  mkdirSync(run, { recursive: true });
  mkdirSync(dataRoot, { recursive: true });
  const certs = makeCertificates(secrets);
  const port = await findFreePort();
  // Its own bridge with an address from the benchmarking range (RFC 2544), never routed: lab
  // nodes have no Docker network, and dockerd would otherwise pick a private range itself.
  execFileSync('ip', ['link', 'add', bridge, 'type', 'bridge']);
  execFileSync('ip', ['addr', 'add', '198.18.213.1/24', 'dev', bridge]);
  execFileSync('ip', ['link', 'set', bridge, 'up']);
  const socket = `${run}/docker.sock`;
  const log = join(secrets, 'dockerd.log');
  const dockerd = spawn(
    'dockerd',
    [
      '--data-root', dataRoot, '--exec-root', `${run}/exec`, '--pidfile', `${run}/docker.pid`,
      '-H', `unix://${socket}`, '-H', `tcp://127.0.0.1:${port}`,
      '--tlsverify', '--tlscacert', certs.ca, '--tlscert', certs.serverCert, '--tlskey', certs.serverKey,
      '-b', bridge, '--iptables=false', '--ip-masq=false', '--userns-remap=default',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  dockerd.stderr!.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
    writeFileSync(log, stderr);
  });
  const url = `tcp://127.0.0.1:${port}`;
  const tls = { ca: certs.ca, cert: certs.cert, key: certs.key };
  const docker = connectEngine({ url, credentials: { ca: readFileSync(tls.ca), cert: readFileSync(tls.cert), key: readFileSync(tls.key) } });
  let stopped = false;
  const cutOff = () => {
    dockerd.kill('SIGSTOP');
  };
  const stopEngine = async () => {
    if (stopped) return;
    stopped = true;
    dockerd.kill('SIGCONT');
    dockerd.kill('SIGTERM');
    for (let i = 0; i < 150 && dockerd.exitCode === null && dockerd.signalCode === null; i++) await new Promise((r) => setTimeout(r, 200));
    if (dockerd.exitCode === null && dockerd.signalCode === null) dockerd.kill('SIGKILL');
  };
  const remove = async () => {
    await stopEngine();
    try {
      execFileSync('ip', ['link', 'del', bridge], { stdio: 'ignore' });
    } catch {
      // already gone
    }
    rmSync(dataRoot, { recursive: true, force: true });
    rmSync(run, { recursive: true, force: true });
    rmSync(secrets, { recursive: true, force: true });
  };
  try {
    for (let i = 0; ; i++) {
      if ((await pingEngine(docker, 2000)).up) break;
      if (dockerd.exitCode !== null || i > 120) throw new Error(`the test engine ${id} did not start: ${stderr.slice(-800)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const copied = await syncImages(createDockerClient(), docker, { names: options.images ?? ['node'], onProgress: options.onProgress });
    options.onProgress?.(copied.length ? `engine ${id}: images copied` : `engine ${id}: images present`);
  } catch (error) {
    await remove();
    throw error;
  }
  return { id, url, tls, socket, docker, dockerd, cutOff, stopEngine, remove };
}

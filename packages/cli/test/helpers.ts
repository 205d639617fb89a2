// Runs the real `praxis` command line as a user would (node + tsx, no build step), against the
// shared Docker engine, with its own scope per test file.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createDockerClient, destroyScopeInstances } from '@praxis/sandbox';

export const docker = createDockerClient({ host: process.env.DOCKER_HOST });
const BIN = fileURLToPath(new URL('../bin/praxis.js', import.meta.url));

export function newScope(name: string): string {
  return `test-cli-${name}-${randomBytes(3).toString('hex')}`;
}

export async function destroyScope(scope: string) {
  await destroyScopeInstances(docker, scope);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `praxis <args>`; `stdin` is piped in (else stdin is a closed pipe); `onStderr` sees stderr as it comes, with the process (to signal it). */
export function praxis(args: string[], options: { stdin?: string; cwd?: string; timeoutMs?: number; onStderr?: (soFar: string, child: ChildProcess) => void } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      options.onStderr?.(stderr, child);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

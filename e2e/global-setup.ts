// Builds the web app, then starts support/lab-server.ts (the real API server plus a lab instance
// of the run's own scope) and hands its address to the tests through the environment. The
// returned teardown stops the server and destroys the instance.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export default async function globalSetup() {
  execFileSync('npm', ['run', 'build', '-w', '@praxis/web'], { cwd: root, stdio: 'inherit' });
  const child = spawn(process.execPath, ['--import', 'tsx', 'e2e/support/lab-server.ts'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the lab server did not start within 180 s')), 180_000);
    lines.on('line', (line) => {
      if (line.startsWith('READY ')) {
        clearTimeout(timer);
        resolve(line.slice(6));
      }
    });
    child.once('exit', (code) => reject(new Error(`the lab server exited with ${code} before it was ready`)));
  });
  process.env.PRAXIS_E2E = ready;
  return async () => {
    child.stdin!.end(); // the lab server cleans up when its stdin closes
    await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 30_000))]);
  };
}

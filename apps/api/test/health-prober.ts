// Timing GET /healthz over real HTTP from a worker thread while a test loads the server: the
// worker's own event loop keeps time, so a server whose loop is blocked shows as slow answers
// instead of as missing samples.
import { Worker } from 'node:worker_threads';

export const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const PROBER = `
const { parentPort, workerData } = require('node:worker_threads');
const times = [];
let stop = false;
parentPort.on('message', () => (stop = true));
(async () => {
  while (!stop) {
    const t0 = performance.now();
    const res = await fetch(workerData.url);
    await res.arrayBuffer();
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 10));
  }
  parentPort.postMessage(times);
})();
`;

/** Times GET /healthz over real HTTP, every 10 ms from another thread, until `stop` resolves. */
export async function measureHealth(base: string, stop: Promise<unknown>): Promise<number[]> {
  const worker = new Worker(PROBER, { eval: true, workerData: { url: `${base}/healthz` } });
  const times = new Promise<number[]>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await stop.catch(() => undefined);
  worker.postMessage('stop');
  const result = await times;
  await worker.terminate();
  return result;
}

// Reads the topology out of a lab folder's lab.yaml (or a bare topology.yaml), turning each
// node's `setup` file reference into the script text the sandbox runs.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

async function exists(p: string) {
  return stat(p).then(
    () => true,
    () => false,
  );
}

export async function loadTopology(dir: string): Promise<unknown> {
  const candidates = ['lab.yaml', 'topology.yaml'].map((f) => path.join(dir, f));
  let file: string | undefined;
  for (const c of candidates) if (await exists(c)) file = file ?? c;
  if (!file) throw new Error(`${dir}: no lab.yaml or topology.yaml`);
  const doc = parse(await readFile(file, 'utf8')) as Record<string, unknown> | null;
  const topology = (path.basename(file) === 'lab.yaml' ? doc?.topology : doc) as
    | { nodes?: Array<Record<string, unknown>> }
    | undefined;
  if (!topology || typeof topology !== 'object') throw new Error(`${file}: no "topology" section`);
  for (const node of topology.nodes ?? []) {
    const setup = node.setup;
    if (typeof setup === 'string' && !setup.includes('\n') && (await exists(path.join(dir, setup)))) {
      node.setup = await readFile(path.join(dir, setup), 'utf8');
    }
  }
  return topology;
}

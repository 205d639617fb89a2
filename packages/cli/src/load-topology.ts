// The topology `praxis sandbox up` provisions: a lab folder's (through the lab loader, so setup
// files are filled in exactly as an attempt would get them) or a bare topology.yaml's.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { formatLabIssue, LAB_FILE, loadLab } from '@praxis/labs';

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

export async function loadTopology(dir: string): Promise<unknown> {
  if (await exists(path.join(dir, LAB_FILE))) {
    const loaded = await loadLab(dir);
    if (!loaded.ok) throw new Error(`${dir} is not a valid lab:\n${loaded.errors.map((e) => `  ${formatLabIssue(dir, e)}`).join('\n')}`);
    return loaded.lab.topology;
  }
  const bare = path.join(dir, 'topology.yaml');
  if (await exists(bare)) return parse(await readFile(bare, 'utf8'));
  throw new Error(`${dir}: no ${LAB_FILE} or topology.yaml`);
}

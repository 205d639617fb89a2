// `praxis engines`: the deployment's Docker engines (PRAXIS_ENGINES, as the server reads it) with
// whether each answers and its load (lab instances on it against its capacity, with a bar, and
// the lab nodes running there: a cluster lab is several nodes, so nodes say what the host carries), and
// `praxis engines images`: copy the lab images to engines that lack them, and `praxis engines
// lab-images`: the images built for labs' Debian packages on each engine, whether a container
// uses each (the server's leader removes unused ones no lab needs: PRAXIS_LAB_IMAGE_GRACE).
import type { Command } from 'commander';
import { countRunningNodes, listInstances, listLabImages, pingEngine, syncImages } from '@praxis/sandbox';
import { connectEngines } from '../connect-docker';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}

/** A 20-character bar of `used` out of `capacity`. */
export function loadBar(used: number, capacity: number): string {
  const filled = Math.min(20, Math.round((used / capacity) * 20));
  return `[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${Math.round((used / capacity) * 100)}%`;
}

export function registerEngineCommands(program: Command) {
  const engines = program
    .command('engines')
    .description('the Docker engines lab instances are placed on (PRAXIS_ENGINES), with their load')
    .option('--scope <scope>', 'count only the instances of this deployment scope')
    .option('--json', 'print JSON')
    .action(async (opts: { scope?: string; json?: boolean }) => {
      const set = connectEngines();
      const rows = await Promise.all(
        set.engines.map(async (e) => {
          const docker = set.get(e.id);
          const ping = await pingEngine(docker);
          const [instances, nodes] = ping.up
            ? await Promise.all([listInstances(docker).then((all) => all.filter((i) => !opts.scope || i.scope === opts.scope)), countRunningNodes(docker, opts.scope)])
            : [[], null];
          return { id: e.id, url: e.url, status: ping.up ? 'up' : 'down', error: ping.up ? null : ping.error, instances: instances.length, nodesRunning: nodes, capacity: e.capacity };
        }),
      );
      if (opts.json) return console.log(JSON.stringify(rows, null, 2));
      console.log(
        table([
          ['ENGINE', 'URL', 'STATUS', 'INSTANCES', 'NODES', 'CAPACITY', 'LOAD'],
          ...rows.map((r) => [
            r.id,
            r.url,
            r.status === 'up' ? 'up' : `down (${r.error})`,
            r.status === 'up' ? String(r.instances) : '-',
            r.nodesRunning === null ? '-' : String(r.nodesRunning),
            String(r.capacity),
            r.status === 'up' ? loadBar(r.instances, r.capacity) : '-',
          ]),
        ]),
      );
      const up = rows.filter((r) => r.status === 'up');
      console.log(
        `\n${up.length} of ${rows.length} engines up; ${up.reduce((n, r) => n + r.instances, 0)} instances of ${rows.reduce((n, r) => n + r.capacity, 0)}, ${up.reduce((n, r) => n + (r.nodesRunning ?? 0), 0)} nodes running`,
      );
      if (up.length < rows.length) process.exitCode = 1;
    });

  engines
    .command('images')
    .description('copy the lab images (and their base) from one engine to every engine that lacks them')
    .option('--from <engine>', 'the engine the images were built on (default: the first listed)')
    .action(async (opts: { from?: string }) => {
      const set = connectEngines();
      const from = opts.from ?? set.ids[0]!;
      const source = set.get(from);
      for (const id of set.ids.filter((x) => x !== from)) {
        const copied = await syncImages(source, set.get(id), { onProgress: (m) => process.stderr.write(`  ${id}: ${m}\n`) });
        console.log(`${id}: ${copied.length ? `copied ${copied.join(', ')}` : 'up to date'}`);
      }
    });

  engines
    .command('lab-images')
    .description('the lab images (praxis-lab:<hash>, a node image plus a lab\'s Debian packages) on each engine, with their size and age and whether a container uses them')
    .option('--json', 'print JSON')
    // `engines` has --json too and takes it first: read it from either.
    .action(async (_opts: unknown, command: Command) => {
      const opts = command.optsWithGlobals<{ json?: boolean }>();
      const set = connectEngines();
      const rows = [];
      for (const id of set.ids) {
        const docker = set.get(id);
        const ping = await pingEngine(docker);
        if (!ping.up) {
          console.error(`praxis: engine ${id} does not answer (${ping.error}): its lab images are not listed`);
          process.exitCode = 1;
          continue;
        }
        for (const image of await listLabImages(docker)) rows.push({ engine: id, ...image });
      }
      if (opts.json) return console.log(JSON.stringify(rows, null, 2));
      const mb = (bytes: number | null) => (bytes === null ? '?' : String(Math.round(bytes / 2 ** 20)));
      const hours = (d: Date) => `${((Date.now() - d.getTime()) / 3_600_000).toFixed(1)} h`;
      console.log(table([['ENGINE', 'IMAGE', 'ADDED MB', 'BUILT', 'USED', 'PACKAGES'], ...rows.map((r) => [r.engine, r.tag, mb(r.addedBytes), `${hours(r.createdAt)} ago`, r.inUse ? 'yes' : 'no', r.packages])]));
      const unused = rows.filter((r) => !r.inUse);
      console.log(`\n${rows.length} lab image${rows.length === 1 ? '' : 's'}, ${unused.length} unused by any container; the server removes unused ones that no current lab needs once older than PRAXIS_LAB_IMAGE_GRACE (an hour)`);
    });
}

// `praxis sandbox up|exec|ls|down|gc`: provision, use and remove lab instances by hand.
import type { Command } from 'commander';
import {
  collectGarbage,
  createInstance,
  destroyInstance,
  execInNode,
  getInstance,
  listInstances,
  TopologyError,
} from '@praxis/sandbox';
import { connectDocker } from '../connect-docker';
import { loadTopology } from '../load-topology';

/** All of standard input (a pipe or a file); at most 16 MiB, as text. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16 * 1024 * 1024) throw new Error('standard input is larger than 16 MiB');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}

export function registerSandboxCommands(program: Command) {
  const sandbox = program.command('sandbox').description('lab instances on the Docker engine');

  sandbox
    .command('up')
    .argument('<lab-dir>', 'a lab folder (lab.yaml with a topology section)')
    .option('--ttl <minutes>', 'minutes before the collector removes it', '240')
    .option('--owner <name>', 'owner label', 'cli')
    .option('--scope <scope>', 'scope label (what `sandbox gc --scope` collects)', 'cli')
    .description('provision one instance of a lab')
    .action(async (dir: string, opts: { ttl: string; owner: string; scope: string }) => {
      let topology: unknown;
      try {
        topology = await loadTopology(dir);
        const instance = await createInstance(connectDocker(), topology, {
          owner: opts.owner,
          scope: opts.scope,
          ttlSeconds: Number(opts.ttl) * 60,
          onProgress: (e) => process.stderr.write(`  [${String(e.elapsedMs).padStart(5)} ms] ${e.step}: ${e.message}\n`),
        });
        console.log(`instance ${instance.id} (expires ${instance.expiresAt.toISOString()})`);
        console.log(table([['NODE', 'HOSTNAME', 'CONTAINER'], ...instance.nodes.map((n) => [n.name, n.hostname, n.containerName])]));
        console.log(`\nshell: npx praxis sandbox exec ${instance.id} ${instance.nodes[0]!.name} -- bash`);
      } catch (error) {
        if (error instanceof TopologyError) {
          console.error(`praxis: ${dir}: ${error.message}`);
          process.exit(1);
        }
        throw error;
      }
    });

  sandbox
    .command('exec')
    .argument('<instance>', 'instance id')
    .argument('<node>', 'node name')
    .argument('<cmd...>', 'command and arguments (after --)')
    .description('run a command in a node and print its output; piped standard input is passed on (`... -- bash -s < script.sh`)')
    .action(async (id: string, node: string, cmd: string[]) => {
      // A terminal on stdin means nothing is piped: the command gets no input, as before.
      const stdin = process.stdin.isTTY ? undefined : await readStdin();
      const r = await execInNode(connectDocker(), id, node, cmd, { timeoutMs: 120_000, maxOutputBytes: 8 * 1024 * 1024, stdin });
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
      process.exitCode = r.exitCode;
    });

  sandbox
    .command('ls')
    .description('list instances')
    .action(async () => {
      const all = await listInstances(connectDocker());
      if (all.length === 0) return void console.log('no instances');
      const now = Date.now();
      console.log(
        table([
          ['INSTANCE', 'STATE', 'SCOPE', 'OWNER', 'NODES', 'EXPIRES IN'],
          ...all.map((i) => [
            i.id,
            i.ready ? 'ready' : 'provisioning',
            i.scope,
            i.owner,
            i.nodes.map((n) => n.name).join(','),
            `${Math.round((i.expiresAt.getTime() - now) / 60000)} min`,
          ]),
        ]),
      );
    });

  sandbox
    .command('down')
    .argument('<instance...>', 'instance ids')
    .description('remove instances and everything they own')
    .action(async (ids: string[]) => {
      const d = connectDocker();
      for (const id of ids) {
        if (!(await getInstance(d, id))) {
          console.error(`praxis: no instance ${id}`);
          process.exitCode = 1;
          continue;
        }
        const n = await destroyInstance(d, id);
        console.log(`${id}: removed ${n} container(s)`);
      }
    });

  sandbox
    .command('gc')
    .option('--scope <scope>', 'the scope to collect (instances of other scopes are left alone)', 'cli')
    .option('--all-scopes', 'also remove expired and crashed instances of every other scope (operators)')
    .option('--all', 'remove every instance of the scope (of every scope with --all-scopes), not only expired or crashed ones')
    .description('remove expired instances and instances whose provisioning crashed')
    .action(async (opts: { scope: string; allScopes?: boolean; all?: boolean }) => {
      const d = connectDocker();
      const removed = opts.all
        ? await Promise.all(
            (await listInstances(d))
              .filter((i) => opts.allScopes || i.scope === opts.scope)
              .map(async (i) => ({ id: i.id, reason: 'all', containers: await destroyInstance(d, i.id) })),
          )
        : await collectGarbage(d, { scope: opts.scope, allScopes: opts.allScopes });
      if (removed.length === 0) console.log('nothing to collect');
      for (const r of removed) console.log(`${r.id}: ${r.reason}, removed ${r.containers} container(s)`);
    });
}

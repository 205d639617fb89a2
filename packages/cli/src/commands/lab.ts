// `praxis lab validate|test <dir>`: the authoring commands. Validate needs no Docker; test
// provisions each lab under its own scope, proves its checks and solutions, and tears it down.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Command } from 'commander';
import { formatLabIssue, validateLabs } from '@praxis/labs';
import { formatLabTestReport, testLabs } from '@praxis/grader';
import { createDockerClient } from '@praxis/sandbox';

export function registerLabCommands(program: Command) {
  const lab = program.command('lab').description('author labs: validate and prove them');

  lab
    .command('validate')
    .argument('<dir>', 'a lab folder, or a folder of lab folders')
    .description('check lab.yaml, its files and references; exit 1 on any error')
    .action(async (dir: string) => {
      const results = await validateLabs(dir);
      let errors = 0;
      for (const r of results) {
        if (r.ok) {
          const q = r.lab!.questions;
          const nodes = r.lab!.topology.nodes.length;
          console.log(`✓ ${r.lab!.id}: ${q.length} questions, ${r.lab!.maxPoints} points, ${nodes} node${nodes === 1 ? '' : 's'}`);
        } else {
          console.log(`✗ ${path.relative(process.cwd(), r.dir) || r.dir}: ${r.errors.length} error${r.errors.length === 1 ? '' : 's'}`);
          for (const e of r.errors) console.log(`    ${formatLabIssue(r.dir, e)}`);
          errors += r.errors.length;
        }
      }
      if (errors > 0) process.exitCode = 1;
    });

  lab
    .command('test')
    .argument('<dir>', 'a lab folder, or a folder of lab folders')
    .option('--timeout <seconds>', 'default time limit of each check', '10')
    .option('-q, --quiet', 'print only the result tables')
    .description('provision each lab, prove every check fails fresh and passes after its solve; exit 1 on any surprise')
    .action(async (dir: string, opts: { timeout: string; quiet?: boolean }) => {
      // The CLI's only environment read: the same DOCKER_HOST the docker client honours.
      const docker = createDockerClient({ host: process.env.DOCKER_HOST });
      const scope = `lab-test-${randomBytes(3).toString('hex')}`;
      const reports = await testLabs(docker, dir, {
        scope,
        timeoutMs: Number(opts.timeout) * 1000,
        onProgress: opts.quiet ? undefined : (m) => console.error(`… ${m}`),
      });
      for (const r of reports) console.log(formatLabTestReport(r));
      const failed = reports.filter((r) => !r.ok).length;
      console.log(`\n${reports.length - failed}/${reports.length} lab${reports.length === 1 ? '' : 's'} passed`);
      if (failed > 0) process.exitCode = 1;
    });
}

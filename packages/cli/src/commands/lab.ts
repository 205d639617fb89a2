// `praxis lab validate|test|grade`: the authoring commands. Validate needs no Docker; test
// provisions each lab under its own scope, proves its checks and solutions, and tears it down
// (also when stopped by Ctrl-C or SIGTERM: it removes the run's machines and exits 130 or 143);
// grade runs questions against an instance the author keeps (`praxis sandbox up <lab-dir>`).
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Command } from 'commander';
import { formatLabIssue, loadLab, validateLabs } from '@praxis/labs';
import { formatAuthorGrades, formatLabTestReport, GraderError, gradeForAuthor, LabTestAbortedError, testLabs } from '@praxis/grader';
import { destroyInstance, getInstance, listInstances, type Docker } from '@praxis/sandbox';
import { abortOnSignals } from '../abort-on-signals';
import { connectDocker } from '../connect-docker';

/** `--answer q=v` (repeatable) into a map; the value may itself contain "=". */
function collectAnswer(pair: string, acc: Record<string, string>): Record<string, string> {
  const at = pair.indexOf('=');
  if (at <= 0) throw new Error(`--answer "${pair}" must look like <question-id>=<value>`);
  return { ...acc, [pair.slice(0, at)]: pair.slice(at + 1) };
}

/**
 * Prints what a stopped `lab test` removed; anything else of its scope (the scope is the run's
 * own) is removed too, so nothing of the run is left to expire.
 */
async function reportAbortedRun(docker: Docker, scope: string, error: LabTestAbortedError) {
  const removed = [...error.removed];
  const failed = [...error.failed];
  for (const i of (await listInstances(docker).catch(() => [])).filter((x) => x.scope === scope && !removed.includes(x.id))) {
    await destroyInstance(docker, i.id).then(
      () => void removed.push(i.id),
      (e: Error) => void failed.push({ instanceId: i.id, reason: e.message }),
    );
  }
  for (const id of removed) console.error(`praxis: removed instance ${id}`);
  for (const f of failed) console.error(`praxis: could not remove instance ${f.instanceId}: ${f.reason} (\`praxis sandbox gc --scope ${scope} --all\`)`);
  console.error(`praxis: lab test stopped; ${removed.length} instance${removed.length === 1 ? '' : 's'} removed${failed.length ? `, ${failed.length} left` : ''}`);
}

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
          // Which languages the lab is translated into, and how many prompts each covers.
          const languages = [...new Set([...Object.keys(r.lab!.translations ?? {}), ...q.flatMap((x) => Object.keys(x.translations ?? {}))])].sort();
          const covered = languages.map((l) => `${l} (${q.filter((x) => x.translations?.[l]?.prompt).length}/${q.length} prompts)`);
          // Debian packages of the lab's nodes: installed into a lab image at its first test or start.
          const packages = [...new Set(r.lab!.topology.nodes.flatMap((n) => n.packages))].sort();
          console.log(
            `✓ ${r.lab!.id}: ${q.length} questions, ${r.lab!.maxPoints} points, ${nodes} node${nodes === 1 ? '' : 's'}${packages.length ? `; packages: ${packages.join(' ')}` : ''}${covered.length ? `; translations: ${covered.join(', ')}` : ''}`,
          );
        } else {
          console.log(`✗ ${path.relative(process.cwd(), r.dir) || r.dir}: ${r.errors.length} error${r.errors.length === 1 ? '' : 's'}`);
          for (const e of r.errors) console.log(`    ${formatLabIssue(r.dir, e)}`);
          errors += r.errors.length;
        }
      }
      if (errors > 0) process.exitCode = 1;
    });

  lab
    .command('grade')
    .argument('<instance>', 'instance id (from `praxis sandbox up <lab-dir>`)')
    .argument('<lab-dir>', 'the lab folder the instance was made from')
    .argument('[question...]', 'question ids (default: every question)')
    .option('--answer <question=value>', 'an answer to grade, e.g. router-mac=02:42:c0:a8:01:06 or why=a,c (repeatable)', collectAnswer, {})
    .option('--json', 'print the rows as JSON')
    .description("grade questions against a live instance, showing each learner-facing reason; answer and choice questions without --answer show what the grader expects")
    .action(async (id: string, dir: string, questions: string[], opts: { answer: Record<string, string>; json?: boolean }) => {
      const loaded = await loadLab(dir);
      if (!loaded.ok) {
        console.error(`praxis: ${dir} is not a valid lab:`);
        for (const e of loaded.errors) console.error(`    ${formatLabIssue(loaded.dir, e)}`);
        return void (process.exitCode = 1);
      }
      const lab = loaded.lab;
      const docker = connectDocker();
      const instance = await getInstance(docker, id);
      if (!instance) {
        console.error(`praxis: no instance ${id} (see \`praxis sandbox ls\`)`);
        return void (process.exitCode = 1);
      }
      const have = new Set(instance.nodes.map((n) => n.name));
      const missing = lab.topology.nodes.map((n) => n.name).filter((n) => !have.has(n));
      if (missing.length) {
        console.error(`praxis: instance ${id} has no node ${missing.join(', ')} of lab "${lab.id}" (its nodes: ${[...have].join(', ')}); was it made from ${dir}?`);
        return void (process.exitCode = 1);
      }
      try {
        const rows = await gradeForAuthor({ docker, instanceId: id, variables: lab.variables }, lab, { questionIds: questions, answers: opts.answer });
        console.log(opts.json ? JSON.stringify(rows, null, 2) : formatAuthorGrades(rows));
        if (rows.some((r) => r.error)) process.exitCode = 1;
      } catch (error) {
        if (!(error instanceof GraderError)) throw error;
        console.error(`praxis: ${error.message}`);
        process.exitCode = 1;
      }
    });

  lab
    .command('test')
    .argument('<dir>', 'a lab folder, or a folder of lab folders')
    .option('--timeout <seconds>', 'default time limit of each check', '10')
    .option('--isolated', 'also test every task alone on fresh machines: its stage\'s unlocking solutions and setup, its after: tasks\' solutions, its own, its check')
    .option('--no-spoofs', "skip the spoof fixtures (a cheater's fakes, each on fresh machines)")
    .option('--spoof-concurrency <n>', 'spoof fixtures run at once, each on an instance of its own', '3')
    .option('-q, --quiet', 'print only the result tables')
    .option('-v, --verbose', 'print what the learner reads for each task: the FAIL: lines on fresh machines and after the solutions')
    .option('--keep [when]', 'keep the lab\'s machines after the solutions ran: "failure" (the default when given) or "always"; prints the instance id')
    .description('provision each lab, prove every check fails fresh and passes after its solve, and that no spoof fixture fools it; exit 1 on any surprise')
    .action(async (dir: string, opts: { timeout: string; spoofs: boolean; spoofConcurrency: string; quiet?: boolean; verbose?: boolean; isolated?: boolean; keep?: boolean | string }) => {
      const keep = opts.keep === true ? 'failure' : opts.keep;
      if (keep !== undefined && keep !== 'failure' && keep !== 'always') {
        console.error(`praxis: --keep takes "failure" or "always" (got "${keep}")`);
        return void (process.exitCode = 1);
      }
      const concurrency = Number(opts.spoofConcurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 8) {
        console.error(`praxis: --spoof-concurrency must be a whole number from 1 to 8 (got "${opts.spoofConcurrency}")`);
        return void (process.exitCode = 1);
      }
      const docker = connectDocker();
      const scope = `lab-test-${randomBytes(3).toString('hex')}`;
      // Ctrl-C or SIGTERM: the run's instances go at once instead of expiring in 30 minutes.
      const stop = abortOnSignals('the lab test', `instances of scope ${scope} may be left: \`praxis sandbox gc --scope ${scope} --all\` removes them`);
      let reports: Awaited<ReturnType<typeof testLabs>>;
      try {
        reports = await testLabs(docker, dir, {
          scope,
          timeoutMs: Number(opts.timeout) * 1000,
          spoofs: opts.spoofs,
          spoofConcurrency: concurrency,
          keep,
          isolated: Boolean(opts.isolated),
          signal: stop.signal,
          onProgress: opts.quiet ? undefined : (m) => console.error(`… ${m}`),
        });
      } catch (error) {
        if (!(error instanceof LabTestAbortedError)) throw error;
        await reportAbortedRun(docker, scope, error);
        process.exit(stop.exitCode());
      } finally {
        stop.dispose();
      }
      for (const r of reports) console.log(formatLabTestReport(r, process.cwd(), { verbose: opts.verbose }));
      const failed = reports.filter((r) => !r.ok).length;
      console.log(`\n${reports.length - failed}/${reports.length} lab${reports.length === 1 ? '' : 's'} passed`);
      if (failed > 0) process.exitCode = 1;
    });
}

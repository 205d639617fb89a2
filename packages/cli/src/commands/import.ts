// `praxis import killercoda|instruqt <dir>`: another platform's scenario or track into a Praxis lab
// folder (logic in @praxis/labs), then validated at once; the report lists what was mapped,
// adapted, must be reviewed, or could not be mapped, each with its source file.
import path from 'node:path';
import type { Command } from 'commander';
import { formatLabIssue, ImportError, importInstruqt, importKillercoda, validateLab, type ImportNote, type ImportResult } from '@praxis/labs';

const HEADS: Record<ImportNote['kind'], string> = {
  unmapped: 'not mapped',
  review: 'review by hand',
  adapted: 'adapted',
  mapped: 'mapped',
};

function printReport(result: ImportResult, verbose: boolean) {
  const count = (k: ImportNote['kind']) => result.notes.filter((n) => n.kind === k).length;
  console.log(`wrote ${path.relative(process.cwd(), result.labDir) || result.labDir} (lab "${result.labId}"): ${count('mapped')} mapped, ${count('adapted')} adapted, ${count('review')} to review, ${count('unmapped')} not mapped`);
  for (const kind of ['unmapped', 'review', ...(verbose ? ['adapted', 'mapped'] : [])] as ImportNote['kind'][]) {
    for (const n of result.notes.filter((x) => x.kind === kind)) console.log(`  ${HEADS[kind]}: ${n.source}${n.line ? `:${n.line}` : ''}: ${n.message}`);
  }
  console.log('  (the full report is IMPORT-REPORT.md in the lab folder)');
}

export function registerImportCommands(program: Command) {
  const imp = program.command('import').description("bring another platform's content into a Praxis lab folder");
  const importers = {
    killercoda: { fn: importKillercoda, what: 'a Killercoda scenario folder (index.json)' },
    instruqt: { fn: importInstruqt, what: 'an Instruqt track folder (track.yml, config.yml, challenge folders)' },
  };
  for (const [name, { fn, what }] of Object.entries(importers)) {
    imp
      .command(name)
      .argument('<dir>', what)
      .option('--out <dir>', 'the lab folder to write (must not exist or be empty); default imported/<name of dir>')
      .option('-v, --verbose', 'also list what was mapped and adapted')
      .description(`write a Praxis lab from ${what}, with a report of what could not be mapped; then validate it`)
      .action(async (dir: string, opts: { out?: string; verbose?: boolean }) => {
        const out = opts.out ?? path.join('imported', path.basename(path.resolve(dir)));
        let result: ImportResult;
        try {
          result = await fn(dir, out);
        } catch (error) {
          if (!(error instanceof ImportError)) throw error;
          console.error(`praxis: ${error.message}`);
          return void (process.exitCode = 1);
        }
        printReport(result, Boolean(opts.verbose));
        const v = await validateLab(result.labDir);
        if (v.ok) {
          console.log(`✓ ${v.lab!.id}: valid, ${v.lab!.questions.length} questions; prove it with: npx praxis lab test ${path.relative(process.cwd(), result.labDir) || '.'}`);
        } else {
          console.log(`✗ the imported lab is not valid yet (${v.errors.length} error${v.errors.length === 1 ? '' : 's'}):`);
          for (const e of v.errors) console.log(`    ${formatLabIssue(v.dir, e)}`);
          process.exitCode = 1;
        }
      });
  }
}

// `praxis`: the command line for authors and operators (containerlab-style verbs).
import { Command } from 'commander';
import { registerSandboxCommands } from './commands/sandbox';
import { registerLabCommands } from './commands/lab';
import { registerImportCommands } from './commands/import';
import { registerEngineCommands } from './commands/engines';

// `praxis ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command('praxis').description('Praxis: labs, sandboxes and practice tests').showHelpAfterError();
registerSandboxCommands(program);
registerLabCommands(program);
registerImportCommands(program);
registerEngineCommands(program);

program.parseAsync(process.argv).catch((error: Error & { code?: string }) => {
  console.error(`praxis: ${error.message}`);
  process.exit(1);
});

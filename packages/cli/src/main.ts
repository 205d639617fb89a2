// `praxis`: the command line for authors and operators (containerlab-style verbs).
import { Command } from 'commander';
import { registerSandboxCommands } from './commands/sandbox';
import { registerLabCommands } from './commands/lab';

const program = new Command('praxis').description('Praxis: labs, sandboxes and practice tests').showHelpAfterError();
registerSandboxCommands(program);
registerLabCommands(program);

program.parseAsync(process.argv).catch((error: Error & { code?: string }) => {
  console.error(`praxis: ${error.message}`);
  process.exit(1);
});

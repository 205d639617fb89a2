// Ctrl-C (SIGINT) and SIGTERM for long commands that made machines: the first signal aborts the
// command's AbortSignal so it can remove what it made and exit 128+signal (130 for Ctrl-C); a
// second one exits at once, saying what may be left.
import { constants } from 'node:os';

export interface SignalAbort {
  signal: AbortSignal;
  /** The signal that stopped the command, if one did. */
  stoppedBy(): NodeJS.Signals | undefined;
  /** The exit code for the signal that stopped the command (130 for SIGINT, 143 for SIGTERM). */
  exitCode(): number;
  /** Removes the handlers (the command ended). */
  dispose(): void;
}

export function abortOnSignals(what: string, leftover: string): SignalAbort {
  const controller = new AbortController();
  let stopped: NodeJS.Signals | undefined;
  const codeOf = (s: NodeJS.Signals) => 128 + (constants.signals[s] ?? 2);
  const onSignal = (s: NodeJS.Signals) => {
    if (stopped) {
      console.error(`praxis: ${s} again: exiting without waiting; ${leftover}`);
      process.exit(codeOf(s));
    }
    stopped = s;
    console.error(`\npraxis: ${s}: stopping ${what} and removing its machines (${s} again to exit at once)`);
    controller.abort(new Error(`stopped by ${s}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    stoppedBy: () => stopped,
    exitCode: () => (stopped ? codeOf(stopped) : 0),
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

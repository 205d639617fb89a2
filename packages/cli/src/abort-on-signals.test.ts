// The first Ctrl-C or SIGTERM aborts the command's signal and picks the exit code 128+signal;
// once disposed, the command's handlers are gone (the process's own default comes back).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { abortOnSignals, type SignalAbort } from './abort-on-signals';

let stop: SignalAbort | undefined;
afterEach(() => stop?.dispose());

describe('abortOnSignals', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('aborts on %s and exits %i', (signal, code) => {
    const said = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    stop = abortOnSignals('the lab test', 'left');
    expect(stop.signal.aborted).toBe(false);
    expect(stop.exitCode()).toBe(0);
    process.emit(signal, signal);
    expect(stop.signal.aborted).toBe(true);
    expect(stop.stoppedBy()).toBe(signal);
    expect(stop.exitCode()).toBe(code);
    expect(said).toHaveBeenCalledWith(`\npraxis: ${signal}: stopping the lab test and removing its machines (${signal} again to exit at once)`);
    said.mockRestore();
  });

  it('removes its handlers when disposed', () => {
    const before = process.listenerCount('SIGINT');
    stop = abortOnSignals('the lab test', 'left');
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    expect(process.listenerCount('SIGTERM')).toBeGreaterThan(0);
    stop.dispose();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});

// A stopped lab test destroys what it made: every live instance, one still being made once it
// exists and the run has ended, none it already destroyed itself; a run not stopped is left alone.
import type { Docker } from '@praxis/sandbox';
import { describe, expect, it } from 'vitest';
import { FreshMachines } from './fresh-machines';
import { abortRun, LabTestAbortedError, RunInstances } from './run-instances';

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('abortRun', () => {
  it('destroys every live instance on abort, one still being made after it is made, and rejects naming them', async () => {
    const log: string[] = [];
    // The stopped run ends once its machines are gone (its scripts fail on them).
    const work = deferred<string>();
    const instances = new RunInstances(async (id) => {
      log.push(`destroy ${id}`);
      setTimeout(() => {
        if (!log.includes('run ended')) log.push('run ended');
        work.resolve('report');
      }, 30);
    });
    const making = deferred();
    instances.add('lab-1');
    instances.add('spoof-1', making.promise.then(() => void log.push('made spoof-1')));
    instances.add('spoof-0');
    instances.remove('spoof-0'); // released by the run itself
    const controller = new AbortController();
    const run = abortRun(work.promise, controller.signal, instances);
    controller.abort();
    await new Promise((r) => setTimeout(r, 20));
    making.resolve();
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabTestAbortedError);
    expect(error).toMatchObject({ code: 'LAB_TEST_ABORTED', removed: ['lab-1', 'spoof-1'], failed: [] });
    // Destroyed at once (its scripts end), and again once made, so nothing half-made is left.
    expect(log).toEqual(['destroy lab-1', 'destroy spoof-1', 'made spoof-1', 'run ended', 'destroy lab-1', 'destroy spoof-1']);
  });

  it('leaves a run that is not stopped alone, and reports an instance it could not destroy', async () => {
    const destroyed: string[] = [];
    const instances = new RunInstances(async (id) => void destroyed.push(id));
    const controller = new AbortController();
    await expect(abortRun(Promise.resolve('report'), controller.signal, instances)).resolves.toBe('report');
    controller.abort();
    expect(destroyed).toEqual([]);

    const stuck = new RunInstances(async (id) => {
      if (id === 'b') throw new Error('engine busy');
    });
    stuck.add('a');
    stuck.add('b');
    const e = (await abortRun(Promise.reject(new Error('stopped')), AbortSignal.abort(), stuck).catch((x: unknown) => x)) as LabTestAbortedError;
    expect(e.removed).toEqual(['a']);
    expect(e.failed).toEqual([{ instanceId: 'b', reason: 'engine busy' }]);
    expect(e.message).toBe('the lab test was stopped: 1 instance removed, 1 could not be (b: engine busy)');
  });
});

describe('FreshMachines after an abort', () => {
  it('makes and hands out no instance', () => {
    const told: string[] = [];
    const controller = new AbortController();
    const machines = new FreshMachines({} as Docker, {}, 3, { scope: 'unit', ahead: 1, signal: controller.signal, onInstance: (id) => told.push(id) });
    controller.abort();
    machines.prime();
    expect(() => machines.take()).toThrow(/abort/i);
    expect(told).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import type { Coordination } from '@praxis/db';
import { EventBus } from './event-bus';
import { BusRequests } from './bus-requests';

/** Processes of one deployment on an in-memory NOTIFY/LISTEN: what one publishes, every one hears (itself too). */
function deployment(ids: number[]) {
  const listeners = new Map<string, Set<(payload: string) => void>>();
  const alive = new Set(ids);
  const errors: string[] = [];
  const process = (workerId: number) => {
    const coordination = {
      workerId,
      liveWorkers: async () => new Set(alive),
      listen(channel: string, listener: (payload: string) => void) {
        const set = listeners.get(channel) ?? new Set();
        set.add(listener);
        listeners.set(channel, set);
        return () => set.delete(listener);
      },
      onReconnect: () => () => undefined,
    } as unknown as Coordination;
    const bus = new EventBus({
      coordination,
      notify: async (channel, payload) => {
        // Delivered a moment later, as NOTIFY is.
        setTimeout(() => {
          for (const l of listeners.get(channel) ?? []) l(payload);
        }, 1);
      },
      log: { error: (o, m) => errors.push(m) },
    });
    return new BusRequests<{ instanceIds: string[] }>({ bus, coordination, channel: 'test_close', log: { error: (o, m) => errors.push(m) } });
  };
  return { process, alive, errors };
}

describe('BusRequests', () => {
  it('resolves only once every live process (the sender too) has finished its handler', async () => {
    const d = deployment([1, 2, 3]);
    const [one, two, three] = [d.process(1), d.process(2), d.process(3)];
    const done: number[] = [];
    one.serve(async () => void done.push(1));
    two.serve(async () => {
      await new Promise((r) => setTimeout(r, 150));
      done.push(2);
    });
    three.serve(async () => void done.push(3));
    const t0 = Date.now();
    const { silent } = await one.request({ instanceIds: ['x'] }, 5000);
    expect(silent).toEqual([]);
    expect(done.sort()).toEqual([1, 2, 3]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('answers a request whose handler failed (logged), and names a live process that never answers after the bound', async () => {
    const d = deployment([1, 2, 3]);
    const [one, two] = [d.process(1), d.process(2)];
    d.process(3); // alive, but serves nothing: it never answers
    one.serve(async () => undefined);
    two.serve(async () => {
      throw new Error('the engine is gone');
    });
    const t0 = Date.now();
    const { silent } = await one.request({ instanceIds: ['x'] }, 200);
    expect(silent).toEqual([3]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    expect(d.errors).toContain('handling a deployment-wide request failed');
  });

  it('hands the handler the message as sent', async () => {
    const d = deployment([1]);
    const one = d.process(1);
    const seen: string[][] = [];
    one.serve(async (m) => void seen.push(m.instanceIds));
    const { silent } = await one.request({ instanceIds: ['a', 'b'] }, 1000);
    expect(silent).toEqual([]);
    expect(seen).toEqual([['a', 'b']]);
  });
});

// Work every process of the deployment must have done before the sender goes on (each process
// ends its own terminals of an attempt before that attempt's nodes are paused): sent on a channel
// of the event bus; each process runs its handler, then acknowledges on `<channel>_done` with the
// request's id and its worker id. The sender waits for every process alive when it asked (itself
// included), at most `timeoutMs`, and learns which did not answer.
import { randomUUID } from 'node:crypto';
import type { Coordination } from '@praxis/db';
import type { EventBus } from './event-bus';

interface Ack {
  requestId: string;
  workerId: number;
}

export interface BusRequestsOptions {
  bus: EventBus;
  coordination: Pick<Coordination, 'workerId' | 'liveWorkers'>;
  /** The channel requests go out on (lower-case identifier); acknowledgements use `<channel>_done`. */
  channel: string;
  log: { error(o: object, m: string): void };
}

export class BusRequests<T extends object> {
  private readonly waiting = new Map<string, { pending: Set<number>; done: () => void }>();

  constructor(private readonly o: BusRequestsOptions) {
    // Followed from the start: an answer may come back before the request's own wait begins.
    o.bus.subscribe<Ack>(`${o.channel}_done`, (ack) => {
      const w = this.waiting.get(ack.requestId);
      if (!w) return;
      w.pending.delete(ack.workerId);
      if (w.pending.size === 0) w.done();
    });
  }

  /**
   * Runs `handler` for every message on the channel, sent by any process (plain publishes too);
   * a request is acknowledged once the handler settled, whether it succeeded or not.
   */
  serve(handler: (message: T) => Promise<void>): void {
    this.o.bus.subscribe<T & { requestId?: string }>(this.o.channel, (message) => {
      void handler(message)
        .catch((err: unknown) => this.o.log.error({ err, channel: this.o.channel }, 'handling a deployment-wide request failed'))
        .finally(() => {
          if (message.requestId) this.o.bus.publish(`${this.o.channel}_done`, { requestId: message.requestId, workerId: this.o.coordination.workerId } satisfies Ack);
        });
    });
  }

  /**
   * Sends `message` to every process and resolves once each process alive now has handled it, or
   * after `timeoutMs`; `silent` names the worker ids that had not answered by then.
   */
  async request(message: T, timeoutMs: number): Promise<{ silent: number[] }> {
    const requestId = randomUUID();
    const live = await this.o.coordination.liveWorkers().catch((err: unknown) => {
      this.o.log.error({ err, channel: this.o.channel }, 'the live processes are unknown (coordination connection down): waiting for this one only');
      return new Set([this.o.coordination.workerId]);
    });
    const pending = new Set(live);
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<void>((resolve) => this.waiting.set(requestId, { pending, done: resolve }));
    this.o.bus.publish(this.o.channel, { ...message, requestId });
    try {
      await Promise.race([answered, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    } finally {
      clearTimeout(timer);
      this.waiting.delete(requestId);
    }
    return { silent: [...pending] };
  }
}

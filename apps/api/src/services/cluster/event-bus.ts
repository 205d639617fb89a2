// Events every API process must see, whichever one they happen in (attempt progress, authoring
// runs): published with PostgreSQL's NOTIFY through the pool and received on the coordination
// connection's LISTEN, by the publisher too, so there is one path for all. A process publishes in
// order; a payload is small JSON (NOTIFY's limit is 8000 bytes, so big views are re-read from
// the database instead of sent).
import type { Coordination } from '@praxis/db';

export interface EventBusOptions {
  coordination: Coordination;
  /** Sends one NOTIFY (through the database pool). */
  notify: (channel: string, payload: string) => Promise<unknown>;
  log: { error(o: object, m: string): void };
}

/** NOTIFY refuses payloads of 8000 bytes or more. */
const MAX_PAYLOAD = 7900;

export class EventBus {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly o: EventBusOptions) {}

  /** Sends `message` to every process following `channel`; never throws (a failure is logged). */
  publish(channel: string, message: object): void {
    const payload = JSON.stringify(message);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD) {
      this.o.log.error({ channel, bytes: Buffer.byteLength(payload) }, 'event too large to publish; dropped');
      return;
    }
    this.chain = this.chain
      .then(() => this.o.notify(channel, payload))
      .then(
        () => undefined,
        (err: unknown) => this.o.log.error({ err, channel }, 'publishing an event failed'),
      );
  }

  subscribe<T>(channel: string, listener: (message: T) => void): () => void {
    return this.o.coordination.listen(channel, (payload) => {
      let message: T;
      try {
        message = JSON.parse(payload) as T;
      } catch {
        return;
      }
      listener(message);
    });
  }

  /** After the listening connection came back: whatever was published meanwhile was missed. */
  onReconnect(listener: () => void): () => void {
    return this.o.coordination.onReconnect(listener);
  }

  /** Resolves once everything published so far has been sent. */
  flush(): Promise<void> {
    return this.chain;
  }
}

// Live events of attempts for the SSE stream: provisioning progress, queue position, ready,
// failed, cancelled, graded. Published to every API process (the event bus: PostgreSQL NOTIFY),
// so a browser hears them from whichever process it reached; a client that connects late, or
// whose process missed events while its database connection was down, gets a snapshot from the
// database instead (onResync).
import { EventEmitter } from 'node:events';
import type { EventBus } from '../cluster/event-bus';

export type AttemptEvent =
  | { type: 'queued'; position: number }
  | { type: 'progress'; lab: string; step: string; message: string; elapsedMs: number }
  | { type: 'ready'; deadlineAt: string; provisionMs: number }
  | { type: 'failed'; message: string }
  | { type: 'cancelled' }
  | { type: 'grading' }
  | { type: 'graded'; score: number; maxScore: number };

export const isFinalEvent = (e: AttemptEvent) => e.type === 'ready' || e.type === 'failed' || e.type === 'cancelled' || e.type === 'graded';

export const ATTEMPT_CHANNEL = 'praxis_attempt';

interface Published {
  attemptId: string;
  event: AttemptEvent;
}

export class AttemptEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private readonly stop: () => void;

  constructor(private readonly bus: EventBus) {
    this.stop = bus.subscribe<Published>(ATTEMPT_CHANNEL, (m) => {
      if (typeof m?.attemptId === 'string' && m.event) this.emitter.emit(m.attemptId, m.event);
    });
  }

  emit(attemptId: string, event: AttemptEvent) {
    // Long messages (a provisioning error) are cut so the payload stays within NOTIFY's limit.
    const e = 'message' in event ? { ...event, message: event.message.slice(0, 2000) } : event;
    this.bus.publish(ATTEMPT_CHANNEL, { attemptId, event: e } satisfies Published);
  }

  subscribe(attemptId: string, listener: (e: AttemptEvent) => void): () => void {
    this.emitter.on(attemptId, listener);
    return () => this.emitter.off(attemptId, listener);
  }

  /** Called when events may have been missed: re-read the attempt and send what it is now. */
  onResync(listener: () => void): () => void {
    return this.bus.onReconnect(listener);
  }

  close(): void {
    this.stop();
  }
}

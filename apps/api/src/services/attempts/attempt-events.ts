// Live events of attempts for the SSE stream: provisioning progress, queue position, ready,
// failed, cancelled, graded. In memory only: a client that connects late gets a snapshot from the database.
import { EventEmitter } from 'node:events';

export type AttemptEvent =
  | { type: 'queued'; position: number }
  | { type: 'progress'; lab: string; step: string; message: string; elapsedMs: number }
  | { type: 'ready'; deadlineAt: string; provisionMs: number }
  | { type: 'failed'; message: string }
  | { type: 'cancelled' }
  | { type: 'grading' }
  | { type: 'graded'; score: number; maxScore: number };

export const isFinalEvent = (e: AttemptEvent) => e.type === 'ready' || e.type === 'failed' || e.type === 'cancelled' || e.type === 'graded';

export class AttemptEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  emit(attemptId: string, event: AttemptEvent) {
    this.emitter.emit(attemptId, event);
  }

  subscribe(attemptId: string, listener: (e: AttemptEvent) => void): () => void {
    this.emitter.on(attemptId, listener);
    return () => this.emitter.off(attemptId, listener);
  }
}

// The deployment's periodic work that one process must do, not all (attempt deadlines and queue
// positions, taking over work of processes that are gone, the garbage collectors of instances and
// of lab images, purging expired sessions): each task runs on its interval only while this process
// leads, and at once when it becomes the leader. A task never overlaps itself, and its failure is
// logged and retried next time.
import type { Coordination } from '@praxis/db';

interface Task {
  name: string;
  intervalMs: number;
  run: () => Promise<void>;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
}

export class LeaderTasks {
  private readonly tasks: Task[] = [];
  private started = false;
  private stopLeadership?: () => void;

  constructor(
    private readonly coordination: Coordination,
    private readonly log: { error(o: object, m: string): void },
  ) {}

  /** Registers a task; tasks start with start(). */
  every(name: string, intervalMs: number, run: () => Promise<void>): void {
    const task: Task = { name, intervalMs, run };
    this.tasks.push(task);
    if (this.started) this.schedule(task);
  }

  private fire(task: Task): void {
    if (!this.started || !this.coordination.leader || task.running) return;
    task.running = task
      .run()
      .catch((err: unknown) => this.log.error({ err, task: task.name }, 'leader task failed'))
      .finally(() => (task.running = undefined));
  }

  private schedule(task: Task): void {
    task.timer = setInterval(() => this.fire(task), task.intervalMs);
    task.timer.unref();
    this.fire(task);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const t of this.tasks) this.schedule(t);
    this.stopLeadership = this.coordination.onLeadership((leader) => {
      if (leader) for (const t of this.tasks) this.fire(t);
    });
  }

  /** Stops the timers and waits for tasks under way. */
  async stop(): Promise<void> {
    this.started = false;
    this.stopLeadership?.();
    for (const t of this.tasks) clearInterval(t.timer);
    await Promise.allSettled(this.tasks.map((t) => t.running));
  }

  /** Runs a task now if this process leads (tests and start-up use it); resolves when it ends. */
  async runNow(name: string): Promise<void> {
    const task = this.tasks.find((t) => t.name === name);
    if (!task || !this.coordination.leader) return;
    await task.running;
    this.fire(task);
    await task.running;
  }
}

// The operator's numbers in Prometheus' text format at /metrics: attempts holding an instance and
// the queue length (the deployment's, read from the database at each scrape), whether this process
// leads, and this process's provisioning and grading time histograms (each process is scraped).
import type { DbClient } from '@praxis/db';
import { HOLDS_INSTANCE } from './attempt-statuses';

/** The deployment's attempts holding an instance, and those waiting in the queue. */
export async function attemptCounts(db: DbClient): Promise<{ active: number; queueLength: number }> {
  const [active, queueLength] = await Promise.all([
    db.attempt.count({ where: { status: { in: [...HOLDS_INSTANCE] } } }),
    db.attempt.count({ where: { status: 'queued' } }),
  ]);
  return { active, queueLength };
}

class Histogram {
  private readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly buckets: number[]) {
    this.counts = buckets.map(() => 0);
  }
  observe(value: number) {
    this.sum += value;
    this.count += 1;
    this.buckets.forEach((b, i) => {
      if (value <= b) this.counts[i]! += 1;
    });
  }
  render(name: string, help: string): string {
    const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
    this.buckets.forEach((b, i) => lines.push(`${name}_bucket{le="${b}"} ${this.counts[i]}`));
    lines.push(`${name}_bucket{le="+Inf"} ${this.count}`, `${name}_sum ${this.sum}`, `${name}_count ${this.count}`);
    return lines.join('\n');
  }
}

export interface DeploymentGauges {
  active: number;
  queueLength: number;
  leader: boolean;
}

export class AttemptMetrics {
  readonly provisionSeconds = new Histogram([0.5, 1, 2, 3, 5, 10, 20, 60]);
  readonly gradingSeconds = new Histogram([0.25, 0.5, 1, 2, 5, 10, 30]);

  render(gauges: DeploymentGauges): string {
    return [
      '# HELP praxis_attempts_active Attempts holding a lab instance (provisioning, active or grading), in the whole deployment.',
      '# TYPE praxis_attempts_active gauge',
      `praxis_attempts_active ${gauges.active}`,
      '# HELP praxis_attempts_queued Attempts waiting for capacity, in the whole deployment.',
      '# TYPE praxis_attempts_queued gauge',
      `praxis_attempts_queued ${gauges.queueLength}`,
      '# HELP praxis_leader 1 when this API process runs the deployment\'s sweeps.',
      '# TYPE praxis_leader gauge',
      `praxis_leader ${gauges.leader ? 1 : 0}`,
      this.provisionSeconds.render('praxis_provision_seconds', 'Time from leaving the queue to a ready lab instance.'),
      this.gradingSeconds.render('praxis_grading_seconds', 'Time to grade a whole attempt.'),
      '',
    ].join('\n');
  }
}

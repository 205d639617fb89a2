// The kernel watchdog: every few seconds it reads the host's kernel figures that no cgroup limits
// (unreclaimable kernel memory, the shared neighbour tables, conntrack entries, network
// namespaces) and, when they are up or every half minute anyway, counts them per node of this
// deployment's instances. A node above a limit gets its instance stopped, with a sentence its
// learner reads (the attempt ends as "stopped" and is graded as it was). The limits sit far above
// anything a lab needs and far below what hurts other instances (docs/sandbox-security.md).
import { countKernelObjects, readKernelPressure, type Docker, type InstanceKernelObjects, type KernelPressure } from '@praxis/sandbox';

/** Per node. A node that holds more than one of these is flooding shared kernel memory. */
export const NODE_KERNEL_LIMITS = {
  /** Network namespaces (the kernel allows 32 per uid in a node; more means uid games). */
  netns: 40,
  /** Conntrack entries in all of the node's namespaces (about 256 bytes each). */
  conntrack: 65_536,
  /** Neighbour entries in all of the node's namespaces: the host's table is one for everybody. */
  neighbours: 2_048,
  /** Learned forwarding entries of the node's own bridges. */
  fdb: 8_192,
} as const;

const WHAT: Record<keyof typeof NODE_KERNEL_LIMITS, string> = {
  netns: 'network namespaces',
  conntrack: 'conntrack entries',
  neighbours: 'neighbour (ARP/NDP) entries',
  fdb: 'bridge forwarding entries',
};

export interface Offence {
  instanceId: string;
  node: string;
  kind: keyof typeof NODE_KERNEL_LIMITS;
  count: number;
  limit: number;
  /** For the learner and the log. */
  reason: string;
}

export interface KernelWatchdogOptions {
  docker: Docker;
  scope: string;
  intervalMs: number;
  /** A full count at least this often, whatever the host figures say. */
  censusEveryMs?: number;
  limits?: Partial<Record<keyof typeof NODE_KERNEL_LIMITS, number>>;
  /** Stops an offending instance; called once per instance. */
  stop: (offence: Offence) => Promise<void>;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void };
}

/** Nodes above a limit, worst first within each instance; one offence per instance. */
export function findOffences(instances: InstanceKernelObjects[], limits: Record<keyof typeof NODE_KERNEL_LIMITS, number>): Offence[] {
  const offences: Offence[] = [];
  for (const inst of instances) {
    let worst: Offence | undefined;
    for (const n of inst.nodes) {
      for (const kind of Object.keys(limits) as (keyof typeof NODE_KERNEL_LIMITS)[]) {
        const count = n[kind];
        const limit = limits[kind];
        if (count <= limit) continue;
        if (!worst || count / limit > worst.count / worst.limit) {
          worst = {
            instanceId: inst.instanceId,
            node: n.node,
            kind,
            count,
            limit,
            reason: `node "${n.node}" held ${count.toLocaleString('en-US')} ${WHAT[kind]} (the limit is ${limit.toLocaleString('en-US')}), which fills kernel memory every learner shares`,
          };
        }
      }
    }
    if (worst) offences.push(worst);
  }
  return offences;
}

export class KernelWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastCensus = 0;
  private baselineMiB: number | undefined;
  private readonly stopped = new Set<string>();
  private readonly limits: Record<keyof typeof NODE_KERNEL_LIMITS, number>;
  /** Last host figures (for /metrics). */
  pressure: KernelPressure | undefined;
  stops = 0;

  constructor(private readonly o: KernelWatchdogOptions) {
    this.limits = { ...NODE_KERNEL_LIMITS, ...o.limits };
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.o.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.check()
      .then(() => undefined)
      .catch((err) => this.o.log.error({ err }, 'kernel watchdog failed'))
      .finally(() => (this.running = undefined));
  }

  /** Whether the host figures say something grows: then every round counts per node. */
  private elevated(p: KernelPressure): boolean {
    this.baselineMiB = Math.min(this.baselineMiB ?? p.unreclaimableMiB, p.unreclaimableMiB);
    const share = (n: number, max: number) => (max > 0 ? n / max : 0);
    return (
      share(p.neighbours.ipv4, p.neighbourLimits.ipv4) > 0.1 ||
      share(p.neighbours.ipv6, p.neighbourLimits.ipv6) > 0.1 ||
      p.conntrack > this.limits.conntrack ||
      p.unreclaimableMiB - this.baselineMiB > 128
    );
  }

  /** One round; returns the offences it acted on. */
  async check(now = Date.now()): Promise<Offence[]> {
    const pressure = await readKernelPressure(this.o.docker);
    if (!pressure) return [];
    if (pressure.diskLimitsSuspended && !this.pressure?.diskLimitsSuspended) {
      this.o.log.error({}, 'btrfs quota accounting is inconsistent on this host: nodes have no disk limit until `btrfs quota rescan -w <docker data root>` (infra/scripts/ensure-engine.sh runs it)');
    }
    this.pressure = pressure;
    if (!this.elevated(pressure) && now - this.lastCensus < (this.o.censusEveryMs ?? 30_000)) return [];
    this.lastCensus = now;
    const census = await countKernelObjects(this.o.docker, { scope: this.o.scope });
    const offences = findOffences(census, this.limits).filter((o) => !this.stopped.has(o.instanceId));
    for (const offence of offences) {
      this.stopped.add(offence.instanceId);
      this.stops += 1;
      this.o.log.warn({ instance: offence.instanceId, node: offence.node, kind: offence.kind, count: offence.count, limit: offence.limit, pressure }, 'kernel watchdog stops an instance');
      await this.o.stop(offence).catch((err) => this.o.log.error({ err, instance: offence.instanceId }, 'stopping an instance failed'));
    }
    return offences;
  }

  render(): string {
    const p = this.pressure;
    const lines = [
      '# HELP praxis_watchdog_stops_total Instances the kernel watchdog stopped.',
      '# TYPE praxis_watchdog_stops_total counter',
      `praxis_watchdog_stops_total ${this.stops}`,
    ];
    if (p) {
      lines.push(
        '# HELP praxis_kernel_unreclaimable_mib Unreclaimable kernel memory of the host (SUnreclaim).',
        '# TYPE praxis_kernel_unreclaimable_mib gauge',
        `praxis_kernel_unreclaimable_mib ${p.unreclaimableMiB}`,
        '# HELP praxis_kernel_neighbours Entries in the host-wide neighbour tables.',
        '# TYPE praxis_kernel_neighbours gauge',
        `praxis_kernel_neighbours{family="ipv4"} ${p.neighbours.ipv4}`,
        `praxis_kernel_neighbours{family="ipv6"} ${p.neighbours.ipv6}`,
        '# HELP praxis_kernel_conntrack Conntrack entries on the host, all namespaces.',
        '# TYPE praxis_kernel_conntrack gauge',
        `praxis_kernel_conntrack ${p.conntrack}`,
        '# HELP praxis_disk_limits_suspended 1 while btrfs quota accounting is inconsistent (no node has a disk limit).',
        '# TYPE praxis_disk_limits_suspended gauge',
        `praxis_disk_limits_suspended ${p.diskLimitsSuspended ? 1 : 0}`,
      );
    }
    return `${lines.join('\n')}\n`;
  }
}

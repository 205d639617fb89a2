// Demoting CPU hogs: a node whose threads wanted most of a core since the last round (ran or
// waited to run, whatever they got: on a contended CPU a spinner gets little but wants it all) is
// put at idle priority (sandbox node-cpu.ts), so that quiet nodes of other learners, and the engine's
// daemons that carry every `docker exec`, get the CPU first whenever they want it. A demoted node
// still gets all the CPU nobody else wants; it is given back normal priority once it calms down,
// or after a minute, when it is judged again. Learners' commands in a busy node of their own are
// slower only while something else is busy too.
import { LABEL, sampleNodeCpu, setNodeCpuIdle, type Docker } from '@praxis/sandbox';

/** Cores wanted (run + wait) on average over a round above which a node is demoted. */
export const HOG_CORES = 0.8;
/** Below this a demoted node is calm again. */
const CALM_CORES = 0.1;
/** A demoted node is judged again after this long. */
const REVIEW_MS = 60_000;

export class CpuHogs {
  private readonly last = new Map<string, { demandNs: number; at: number }>();
  private readonly demotedAt = new Map<string, number>();

  constructor(private readonly o: { docker: Docker; scope: string; log: { info(o: object, m: string): void } }) {}

  /** Node containers currently at idle priority (for tests and metrics). */
  get demoted(): number {
    return this.demotedAt.size;
  }

  /** One round: sample every node of the scope and change the priority of those that need it. */
  async round(now = Date.now()): Promise<{ demoted: string[]; restored: string[] }> {
    const nodes = await this.o.docker.listContainers({ filters: { label: [`${LABEL.role}=node`, `${LABEL.scope}=${this.o.scope}`] } });
    const names = new Map(nodes.map((c) => [c.Id, `${c.Labels[LABEL.instance]}/${c.Labels[LABEL.node]}`]));
    const samples = await sampleNodeCpu(this.o.docker, [...names.keys()]);
    const changes: { containerId: string; idle: boolean }[] = [];
    for (const s of samples) {
      const prev = this.last.get(s.containerId);
      this.last.set(s.containerId, { demandNs: s.demandNs, at: now });
      if (!prev || now <= prev.at) continue;
      const cores = Math.max(0, s.demandNs - prev.demandNs) / 1e6 / (now - prev.at);
      const since = this.demotedAt.get(s.containerId);
      if (!s.idle && cores >= HOG_CORES) {
        changes.push({ containerId: s.containerId, idle: true });
        this.demotedAt.set(s.containerId, now);
      } else if (s.idle && (cores < CALM_CORES || since === undefined || now - since >= REVIEW_MS)) {
        changes.push({ containerId: s.containerId, idle: false });
        this.demotedAt.delete(s.containerId);
      }
    }
    // Forget nodes that are gone.
    for (const id of this.last.keys()) if (!names.has(id)) this.last.delete(id);
    for (const id of this.demotedAt.keys()) if (!names.has(id)) this.demotedAt.delete(id);
    if (changes.length) {
      await setNodeCpuIdle(this.o.docker, changes);
      for (const c of changes) this.o.log.info({ node: names.get(c.containerId), idle: c.idle }, c.idle ? 'node demoted to idle CPU priority' : 'node back at normal CPU priority');
    }
    return {
      demoted: changes.filter((c) => c.idle).map((c) => names.get(c.containerId)!),
      restored: changes.filter((c) => !c.idle).map((c) => names.get(c.containerId)!),
    };
  }
}

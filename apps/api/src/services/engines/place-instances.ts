// Placement: which engine each new lab instance goes to. An instance is placed whole on one
// engine; each goes to the engine that is least loaded (instances held over capacity) among
// those that are up and have room, ties to the first in the order given (engine id). Pure, so the claim that
// calls it under its row locks decides on numbers no other process can change meanwhile. A lab's
// warm pool is spread the same way: each engine keeps a share by capacity.

export interface EngineLoad {
  id: string;
  capacity: number;
  held: number;
  up: boolean;
}

/** Engine ids for `count` instances, or null when they do not all fit. */
export function placeInstances(engines: readonly EngineLoad[], count: number): string[] | null {
  const loads = engines.map((e) => ({ ...e }));
  const placed: string[] = [];
  for (let i = 0; i < count; i++) {
    let best: (typeof loads)[number] | undefined;
    for (const e of loads) {
      if (!e.up || e.held >= e.capacity) continue;
      if (!best || e.held / e.capacity < best.held / best.capacity) best = e;
    }
    if (!best) return null;
    best.held += 1;
    placed.push(best.id);
  }
  return placed;
}

/** Free instances across the engines that are up. */
export function freeSlots(engines: readonly EngineLoad[]): number {
  return engines.reduce((n, e) => n + (e.up ? Math.max(0, e.capacity - e.held) : 0), 0);
}

/**
 * A lab's pool size split over the engines that are up, in proportion to their capacities
 * (largest remainder, ties to the engine listed first): placement spreads learners the same way,
 * so a learner placed on an engine finds that engine's share waiting.
 */
export function splitPoolSize(size: number, engines: readonly { id: string; capacity: number }[]): Map<string, number> {
  const total = engines.reduce((n, e) => n + Math.max(0, e.capacity), 0);
  const out = new Map(engines.map((e) => [e.id, 0]));
  if (size <= 0 || total === 0) return out;
  const exact = engines.map((e, i) => ({ id: e.id, i, share: (size * Math.max(0, e.capacity)) / total }));
  for (const e of exact) out.set(e.id, Math.floor(e.share));
  let left = size - [...out.values()].reduce((n, x) => n + x, 0);
  for (const e of [...exact].sort((a, b) => b.share - Math.floor(b.share) - (a.share - Math.floor(a.share)) || a.i - b.i)) {
    if (left-- <= 0) break;
    out.set(e.id, out.get(e.id)! + 1);
  }
  return out;
}

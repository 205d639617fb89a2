// Placement: which engine each new lab instance goes to. An instance is placed whole on one
// engine; each goes to the engine that is least loaded (instances held over capacity) among
// those that are up and have room, ties to the first in the order given (engine id). Pure, so the claim that
// calls it under its row locks decides on numbers no other process can change meanwhile.

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

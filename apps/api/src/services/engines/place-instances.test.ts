import { describe, expect, it } from 'vitest';
import { freeSlots, placeInstances, type EngineLoad } from './place-instances';

const engine = (id: string, capacity: number, held: number, up = true): EngineLoad => ({ id, capacity, held, up });

describe('placeInstances', () => {
  it('puts each instance on the least loaded engine that has room, relative to its capacity', () => {
    expect(placeInstances([engine('a', 10, 5), engine('b', 4, 1)], 1)).toEqual(['b']);
    expect(placeInstances([engine('a', 10, 4), engine('b', 4, 2)], 3)).toEqual(['a', 'a', 'b']);
  });

  it('breaks ties by the order the engines are given in', () => {
    expect(placeInstances([engine('a', 4, 0), engine('b', 4, 0)], 2)).toEqual(['a', 'b']);
  });

  it('skips engines that are down or full, and answers null when not all fit', () => {
    expect(placeInstances([engine('a', 4, 0, false), engine('b', 2, 1)], 1)).toEqual(['b']);
    expect(placeInstances([engine('a', 4, 0, false), engine('b', 2, 1)], 2)).toBeNull();
    expect(placeInstances([engine('a', 2, 2)], 1)).toBeNull();
  });

  it('counts free slots only on engines that are up', () => {
    expect(freeSlots([engine('a', 4, 1), engine('b', 4, 0, false), engine('c', 2, 3)])).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { freeSlots, placeInstances, splitPoolSize, type EngineLoad } from './place-instances';

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

describe('splitPoolSize', () => {
  const cap = (id: string, capacity: number) => ({ id, capacity });
  it('gives each engine a share of a lab\'s pool by capacity, the remainder to the largest fractions then the first listed', () => {
    expect([...splitPoolSize(3, [cap('a', 10)])]).toEqual([['a', 3]]);
    expect([...splitPoolSize(4, [cap('a', 10), cap('b', 30)])]).toEqual([['a', 1], ['b', 3]]);
    expect([...splitPoolSize(3, [cap('a', 20), cap('b', 20)])]).toEqual([['a', 2], ['b', 1]]);
    expect([...splitPoolSize(1, [cap('a', 20), cap('b', 20), cap('c', 20)])]).toEqual([['a', 1], ['b', 0], ['c', 0]]);
  });

  it('keeps nothing when the size is 0 or no engine has capacity', () => {
    expect([...splitPoolSize(0, [cap('a', 5)])]).toEqual([['a', 0]]);
    expect([...splitPoolSize(2, [cap('a', 0)])]).toEqual([['a', 0]]);
    expect([...splitPoolSize(2, [])]).toEqual([]);
  });
});

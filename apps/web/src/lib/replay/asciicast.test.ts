import { describe, expect, it } from 'vitest';
import { CastError, eventsUntil, parseCast } from './asciicast';

const cast = [
  JSON.stringify({ version: 2, width: 80, height: 24 }),
  JSON.stringify([0.5, 'o', '$ ']),
  JSON.stringify([1.0, 'o', 'ls\r\n']),
  JSON.stringify([31.0, 'o', 'after a long pause']),
  '[31.5, "o", "cut by a cra',
  JSON.stringify([32.0, 'r', '100x30']),
].join('\n');

describe('parseCast', () => {
  it('reads the header and events and caps idle gaps', () => {
    const c = parseCast(cast, 2);
    expect(c.header).toMatchObject({ width: 80, height: 24 });
    expect(c.events.map((e) => e.time)).toEqual([0.5, 1.0, 3.0, 4.0]);
    expect(c.events.map((e) => e.code)).toEqual(['o', 'o', 'o', 'r']);
    expect(c.duration).toBe(4);
  });

  it('keeps real time with no limit', () => {
    expect(parseCast(cast, Infinity).duration).toBe(32);
  });

  it('refuses what is not asciicast v2', () => {
    expect(() => parseCast('')).toThrow(CastError);
    expect(() => parseCast('{"version":1,"width":80,"height":24}')).toThrow(/not asciicast v2/);
    expect(() => parseCast('hello')).toThrow(/header/);
  });
});

describe('eventsUntil', () => {
  it('finds how many events have played by a time', () => {
    const { events } = parseCast(cast, 2);
    expect(eventsUntil(events, 0)).toBe(0);
    expect(eventsUntil(events, 1.0)).toBe(2);
    expect(eventsUntil(events, 3.5)).toBe(3);
    expect(eventsUntil(events, 99)).toBe(4);
  });
});

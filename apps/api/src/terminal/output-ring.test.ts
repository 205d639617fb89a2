import { describe, expect, it } from 'vitest';
import { OutputRing } from './output-ring';

describe('OutputRing', () => {
  it('returns exactly the bytes after an offset, across wrap-around', () => {
    const ring = new OutputRing(8);
    ring.push(Buffer.from('abcde'));
    ring.push(Buffer.from('fghij'));
    expect(ring.end).toBe(10);
    expect(ring.start).toBe(2);
    expect(ring.slice(4).data.toString()).toBe('efghij');
    expect(ring.slice(10).data.length).toBe(0);
  });

  it('clamps an offset that already left the ring and says where it starts', () => {
    const ring = new OutputRing(4);
    ring.push(Buffer.from('0123456789'));
    expect(ring.slice(0)).toEqual({ offset: 6, data: Buffer.from('6789') });
  });

  it('starts a fresh replay after a line break', () => {
    const ring = new OutputRing(64);
    ring.push(Buffer.from('line one\r\nline two\r\n$ '));
    expect(ring.slice(ring.freshStart(16)).data.toString()).toBe('line two\r\n$ ');
    expect(ring.freshStart(1000)).toBe(0);
  });

  it('counts from where this process joined the shell (the holder\'s offset)', () => {
    const ring = new OutputRing(8, 1000);
    expect(ring.start).toBe(1000);
    ring.push(Buffer.from('ab\r\ncd'));
    expect(ring.end).toBe(1006);
    expect(ring.slice(1004).data.toString()).toBe('cd');
    expect(ring.slice(10)).toEqual({ offset: 1000, data: Buffer.from('ab\r\ncd') });
    // A replay that began mid-line is cut after its first line break.
    expect(ring.freshStart(64)).toBe(1004);
  });
});

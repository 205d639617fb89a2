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
});

import { describe, expect, it } from 'vitest';
import { dateTime, email, text, wholeNumber } from './input-schemas';

const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }) => (r.success ? [] : r.error!.issues.map((i) => i.message));

describe('shared input schemas', () => {
  it('refuse NUL, unpaired surrogates and control characters in text, and bound its length', () => {
    const name = text({ min: 1, max: 10, trim: true });
    expect(name.parse('  Ada  ')).toBe('Ada');
    expect(name.parse('Zoë 💥')).toBe('Zoë 💥');
    expect(messages(name.safeParse('a\u0000b'))).toEqual(['must not contain the NUL character']);
    expect(messages(name.safeParse('a\ud800'))).toEqual(['is not valid Unicode (it holds an unpaired surrogate)']);
    expect(messages(name.safeParse('\udc00a'))).toEqual(['is not valid Unicode (it holds an unpaired surrogate)']);
    expect(messages(name.safeParse('two\nlines'))).toEqual(['must be one line without control characters']);
    expect(messages(name.safeParse('   '))).toEqual(['must not be empty']);
    expect(messages(name.safeParse('x'.repeat(11)))).toEqual(['must be at most 10 characters']);
    const body = text({ max: 100, multiline: true });
    expect(body.parse('line 1\r\n\tline 2')).toBe('line 1\r\n\tline 2');
    expect(messages(body.safeParse('bell\u0007'))).toEqual(['must not contain control characters (tabs and line breaks are fine)']);
  });

  it('accepts dates in years 1970-9999 only, and says how to write one', () => {
    const d = dateTime();
    expect(d.parse('2030-01-31T09:00:00Z').toISOString()).toBe('2030-01-31T09:00:00.000Z');
    for (const bad of ['+010000-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z', '1969-12-31T23:59:59Z']) {
      expect(messages(d.safeParse(bad))[0]).toMatch(/must lie in the years 1970 to 9999/);
    }
    for (const bad of ['not a date', '', '2030-01-01\u0000']) expect(messages(d.safeParse(bad))).toEqual(['must be a date like 2030-01-31T09:00:00Z']);
    expect(d.safeParse(8.64e15).success).toBe(false);
  });

  it('keeps whole numbers within a 32-bit column, and e-mails lower-cased', () => {
    const n = wholeNumber({ min: 1, coerce: true });
    expect(n.parse('7')).toBe(7);
    expect(messages(n.safeParse('2147483648'))).toEqual(['must be at most 2147483647']);
    expect(messages(n.safeParse('1.5'))).toEqual(['must be a whole number']);
    expect(email().parse(' Ada@Example.ORG ')).toBe('ada@example.org');
    expect(email().safeParse('ada\u0000@example.org').success).toBe(false);
  });
});

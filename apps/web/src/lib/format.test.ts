import { describe, expect, it } from 'vitest';
import { applyLanguage, setupI18n } from './i18n/i18n';
import { formatClock, formatDue, formatMinutes } from './format';

setupI18n();

describe('formatClock', () => {
  it('shows minutes and seconds, and hours only when needed', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(65)).toBe('1:05');
    expect(formatClock(3600 + 5 * 60 + 9)).toBe('1:05:09');
    expect(formatClock(-3)).toBe('0:00');
  });
});

describe('formatDue', () => {
  const now = Date.parse('2026-01-10T12:00:00Z');
  it('says how far away a due date is, or how late', () => {
    expect(formatDue('2026-01-13T12:00:00Z', now)).toBe('due in 3 days');
    expect(formatDue('2026-01-10T13:00:00Z', now)).toBe('due in 1 hour');
    expect(formatDue('2026-01-10T11:30:00Z', now)).toBe('overdue by 30 minutes');
    expect(formatDue(null, now)).toBe('no due date');
  });

  it('speaks Korean when the interface does', () => {
    applyLanguage('ko');
    expect(formatDue('2026-01-13T12:00:00Z', now)).toBe('마감까지 3일');
    expect(formatDue('2026-01-10T11:30:00Z', now)).toBe('마감 30분 지남');
    applyLanguage('en');
  });
});

describe('formatMinutes', () => {
  it('keeps seconds for short limits', () => {
    expect(formatMinutes(20)).toBe('20 s');
    expect(formatMinutes(1800)).toBe('30 min');
    expect(formatMinutes(90)).toBe('1.5 min');
  });
});

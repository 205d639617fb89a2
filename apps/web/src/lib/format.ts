// Dates, durations and scores written the same way on every page.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '—';
  return dateTime.format(new Date(value));
}

/** 1:05:09 or 4:07 */
export function formatClock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function formatMinutes(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const m = seconds / 60;
  return Number.isInteger(m) ? `${m} min` : `${m.toFixed(1)} min`;
}

export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${Math.round(value)}%`;
}

/** Relative due date: "due in 3 days", "overdue by 2 hours". */
export function formatDue(value: string | null | undefined, now = Date.now()): string {
  if (!value) return 'no due date';
  const diff = new Date(value).getTime() - now;
  const abs = Math.abs(diff);
  const unit = abs >= 86_400_000 ? ['day', 86_400_000] : abs >= 3_600_000 ? ['hour', 3_600_000] : ['minute', 60_000];
  const n = Math.max(1, Math.round(abs / (unit[1] as number)));
  const text = `${n} ${unit[0]}${n === 1 ? '' : 's'}`;
  return diff >= 0 ? `due in ${text}` : `overdue by ${text}`;
}

// Dates, durations and scores written the same way on every page, in the interface's language.
import { currentLanguage, t } from './i18n/i18n';

const formatters = new Map<string, Intl.DateTimeFormat>();
function dateTime(): Intl.DateTimeFormat {
  const lang = currentLanguage();
  let f = formatters.get(lang);
  if (!f) formatters.set(lang, (f = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' })));
  return f;
}

export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '—';
  return dateTime().format(new Date(value));
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
  if (seconds < 60) return t('format.seconds', { values: { n: seconds } });
  const m = seconds / 60;
  return t('format.minutes', { values: { n: Number.isInteger(m) ? m : Number(m.toFixed(1)) } });
}

/** "3 min 05 s" or "45 s" for time spent. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('format.seconds', { values: { n: s } });
  return t('format.minutesSeconds', { values: { m: Math.floor(s / 60), s: String(s % 60).padStart(2, '0') } });
}

export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${Math.round(value)}%`;
}

/** Relative due date: "due in 3 days", "overdue by 2 hours". */
export function formatDue(value: string | null | undefined, now = Date.now()): string {
  if (!value) return t('format.noDue');
  const diff = new Date(value).getTime() - now;
  const abs = Math.abs(diff);
  const unit = abs >= 86_400_000 ? (['days', 86_400_000] as const) : abs >= 3_600_000 ? (['hours', 3_600_000] as const) : (['minutes', 60_000] as const);
  const n = Math.max(1, Math.round(abs / unit[1]));
  const span = t(`format.${unit[0]}Span`, { values: { n } });
  return t(diff >= 0 ? 'format.dueIn' : 'format.overdueBy', { values: { span } });
}

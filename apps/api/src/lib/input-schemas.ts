// The one validation of text, dates and whole numbers that arrive from outside, used by every
// route's zod schema: text is valid Unicode (no unpaired surrogate), never holds NUL (PostgreSQL
// cannot store it) nor other control characters, and has a bounded length; dates parse and lie
// in years 1970-9999 (what every layer down to PostgreSQL stores); whole numbers fit a 32-bit
// column. A value outside these gets a 400 naming the field, never a database error.
import { z } from 'zod';

export const MIN_YEAR = 1970;
export const MAX_YEAR = 9999;
export const MAX_INT = 2_147_483_647;

// Tab is allowed everywhere; line breaks only in multi-line text.
const ONE_LINE_CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f]/;
const MULTILINE_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one
// (String.prototype.isWellFormed is ES2024, beyond the project's ES2023 library).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be accepted as text, or undefined when it can. */
export function textProblem(value: string, multiline = false): string | undefined {
  if (LONE_SURROGATE.test(value)) return 'is not valid Unicode (it holds an unpaired surrogate)';
  if (value.includes('\u0000')) return 'must not contain the NUL character';
  if ((multiline ? MULTILINE_CONTROLS : ONE_LINE_CONTROLS).test(value)) {
    return multiline ? 'must not contain control characters (tabs and line breaks are fine)' : 'must be one line without control characters';
  }
  return undefined;
}

export interface TextOptions {
  max: number;
  min?: number;
  /** Allow line breaks (descriptions, answers). */
  multiline?: boolean;
  /** Trim surrounding white space before the length checks (names, titles, codes). */
  trim?: boolean;
}

/** A bounded text field. */
export function text(o: TextOptions) {
  let s = z.string();
  if (o.trim) s = s.trim();
  if (o.min !== undefined) s = s.min(o.min, o.min === 1 ? 'must not be empty' : `must be at least ${o.min} characters`);
  s = s.max(o.max, `must be at most ${o.max} characters`);
  return s.superRefine((value, ctx) => {
    const problem = textProblem(value, o.multiline);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** An e-mail address, lower-cased, as accounts store it. */
export function email() {
  return text({ max: 254, trim: true }).pipe(z.email('must be an e-mail address like name@example.org')).transform((e) => e.toLowerCase());
}

/** A date and time (ISO 8601 is the documented form; anything Date parses is accepted) in years 1970-9999. */
export function dateTime() {
  return z
    .string()
    .max(64, 'must be a date like 2030-01-31T09:00:00Z')
    .transform((value, ctx) => {
      const problem = textProblem(value);
      const date = problem ? new Date(NaN) : new Date(value);
      if (Number.isNaN(date.getTime())) {
        ctx.addIssue({ code: 'custom', message: 'must be a date like 2030-01-31T09:00:00Z' });
        return z.NEVER;
      }
      const year = date.getUTCFullYear();
      if (year < MIN_YEAR || year > MAX_YEAR) {
        ctx.addIssue({ code: 'custom', message: `must lie in the years ${MIN_YEAR} to ${MAX_YEAR} (got ${year})` });
        return z.NEVER;
      }
      return date;
    })
    .meta({ format: 'date-time' });
}

/** A whole number from a path, query or body, bounded so it fits the database's 32-bit integers. */
export function wholeNumber(o: { min: number; max?: number; coerce?: boolean }) {
  return (o.coerce ? z.coerce.number() : z.number())
    .int('must be a whole number')
    .min(o.min, `must be at least ${o.min}`)
    .max(o.max ?? MAX_INT, `must be at most ${o.max ?? MAX_INT}`);
}

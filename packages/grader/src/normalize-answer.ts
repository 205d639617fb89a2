// Short answers are compared after normalisation, so "192.168.1.5/24" matches "192.168.1.5" and
// "02-42-C0-A8-01-06" matches "02:42:c0:a8:01:06" when the author asked for it.
import ipaddr from 'ipaddr.js';
import type { Normalizer } from '@praxis/labs';

function normalizeIp(text: string): string {
  const bare = text.replace(/\/\d{1,3}$/, '');
  return ipaddr.isValid(bare) ? ipaddr.process(bare).toString() : bare;
}

function normalizeMac(text: string): string {
  const hex = text.toLowerCase().replace(/[^0-9a-f]/g, '');
  if (hex.length !== 12 || !/^[0-9a-f:.\- ]+$/i.test(text)) return text.toLowerCase();
  return hex.match(/../g)!.join(':');
}

function normalizeNumber(text: string): string {
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? String(n) : text;
}

/** Trims, then applies each normaliser in a fixed order (spaces, case, ip, mac, number). */
export function normalizeAnswer(text: string, normalizers: readonly Normalizer[]): string {
  let out = text.trim();
  const has = (n: Normalizer) => normalizers.includes(n);
  if (has('spaces')) out = out.replace(/\s+/g, ' ');
  if (has('case')) out = out.toLowerCase();
  if (has('ip')) out = normalizeIp(out);
  if (has('mac')) out = normalizeMac(out);
  if (has('number')) out = normalizeNumber(out);
  return out;
}

/** Answers longer than this are never matched against a pattern (an author's regex, a learner's text). */
const MAX_PATTERN_INPUT = 1000;

/**
 * True when `given` equals one of `accepted` after the same normalisers, or when the normalised
 * answer matches one of `patterns` whole (regular expressions; the `case` normaliser makes them
 * case-insensitive).
 */
export function answerMatches(given: string, accepted: readonly string[], normalizers: readonly Normalizer[], patterns: readonly string[] = []): boolean {
  const g = normalizeAnswer(given, normalizers);
  if (g === '') return false;
  if (accepted.some((a) => normalizeAnswer(a, normalizers) === g)) return true;
  if (g.length > MAX_PATTERN_INPUT) return false;
  const flags = normalizers.includes('case') ? 'iu' : 'u';
  return patterns.some((p) => new RegExp(`^(?:${p})$`, flags).test(g));
}

import { describe, expect, it } from 'vitest';
import { median } from '../services/attempts/compare-result';
import { readerLanguage } from './reader-language';

describe('readerLanguage', () => {
  it("prefers the account's choice, then the browser's first language", () => {
    expect(readerLanguage({ headers: { 'accept-language': 'en-GB,en;q=0.9' }, user: { locale: 'ko' } })).toBe('ko');
    expect(readerLanguage({ headers: { 'accept-language': 'ko-KR,ko;q=0.9,en;q=0.8' }, user: { locale: null } })).toBe('ko-KR');
    expect(readerLanguage({ headers: {} })).toBeUndefined();
    expect(readerLanguage({ headers: { 'accept-language': '*' } })).toBeUndefined();
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([1, 0, 0.5])).toBe(0.5);
    expect(median([1, 0, 0.5, 1])).toBe(0.75);
  });
});
